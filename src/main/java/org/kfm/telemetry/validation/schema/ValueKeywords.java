package org.kfm.telemetry.validation.schema;

import static org.kfm.telemetry.validation.schema.SchemaNode.Keyword.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keywords that apply to any value: {@code type}, {@code enum} and {@code const} (numbers
 * compare by value).
 */
final class ValueKeywords {

  private ValueKeywords() {}

  static SchemaNode.Keyword compile(KeywordSite site) {
    JsonNode arg = site.arg();
    String here = site.here();
    switch (site.keyword()) {
      case "type":
        return type(arg, here);
      case "enum":
        {
          List<JsonNode> values = new ArrayList<>();
          arg.forEach(values::add);
          String allowed = arg.toString();
          return (v, p, e) ->
              contains(values, v)
                  || e != null && fail(e, p.pointer(), "enum", here, "must be one of " + allowed);
        }
      case "const":
        return (v, p, e) ->
            jsonEquals(arg, v)
                || e != null && fail(e, p.pointer(), "const", here, "must be " + arg);
      default:
        throw new IllegalArgumentException("not a keyword of any value: " + site.keyword());
    }
  }

  private static SchemaNode.Keyword type(JsonNode arg, String here) {
    List<String> types = new ArrayList<>();
    if (arg.isArray()) {
      arg.forEach(t -> types.add(t.textValue()));
    } else {
      types.add(arg.textValue());
    }
    String expected = String.join(" or ", types);
    JsonType[] names = types.stream().map(JsonType::of).toArray(JsonType[]::new);
    return (v, p, e) -> {
      for (JsonType type : names) {
        if (type.matches(v)) {
          return true;
        }
      }
      return e != null
          && fail(e, p.pointer(), "type", here, typeName(v) + " found, " + expected + " expected");
    };
  }

  /** The seven JSON Schema types. */
  private enum JsonType {
    OBJECT,
    ARRAY,
    STRING,
    BOOLEAN,
    NULL,
    NUMBER,
    INTEGER;

    static JsonType of(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }

    boolean matches(JsonNode v) {
      switch (this) {
        case OBJECT:
          return v instanceof ObjectNode;
        case ARRAY:
          return v instanceof ArrayNode;
        case STRING:
          return v instanceof TextNode;
        case BOOLEAN:
          return v instanceof BooleanNode;
        case NULL:
          return v instanceof NullNode;
        case NUMBER:
          return v instanceof NumericNode;
        default:
          return v instanceof NumericNode
              && (v.isIntegralNumber() || v.decimalValue().stripTrailingZeros().scale() <= 0);
      }
    }
  }

  private static String typeName(JsonNode v) {
    if (v.isIntegralNumber()) {
      return "integer";
    }
    return v.getNodeType().name().toLowerCase().replace("pojo", "object");
  }

  private static boolean contains(List<JsonNode> values, JsonNode v) {
    for (JsonNode candidate : values) {
      if (jsonEquals(candidate, v)) {
        return true;
      }
    }
    return false;
  }

  /** JSON equality: numbers by value (1 equals 1.0), everything else structurally. */
  static boolean jsonEquals(JsonNode a, JsonNode b) {
    if (a instanceof NumericNode && b instanceof NumericNode) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a instanceof ObjectNode && b instanceof ObjectNode) {
      if (a.size() != b.size()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> it = a.properties().iterator();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> m = it.next();
        JsonNode other = b.get(m.getKey());
        if (other == null || !jsonEquals(m.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof ArrayNode && b instanceof ArrayNode) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!jsonEquals(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}
