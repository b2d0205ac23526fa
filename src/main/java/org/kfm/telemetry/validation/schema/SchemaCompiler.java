package org.kfm.telemetry.validation.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.kfm.telemetry.contract.JsonPath;

/**
 * Compiles JSON Schema draft 2020-12 documents into {@link SchemaNode}s for the hot path. It
 * supports the keywords the telemetry contract uses (type, enum, const, required, properties,
 * additionalProperties, prefixItems, items, min/maxItems, min/maxLength, pattern, minimum, maximum, exclusive
 * bounds, allOf, anyOf, oneOf, not, if/then/else, $ref, $defs) and treats annotations (title,
 * description, format, ...) as such. Any other keyword fails compilation, so the contract files
 * can never use a keyword that would silently go unchecked. Results agree with networknt's
 * validator on the contract (see SchemaEquivalenceTest).
 */
public final class SchemaCompiler {

  private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$defs", "$comment", "title",
      "description", "examples", "default", "format", "deprecated", "readOnly", "writeOnly");

  private final Function<URI, JsonNode> documents;
  private final Set<String> delegated;
  private final Map<String, SchemaNode> compiled = new HashMap<>();
  private final List<Runnable> pendingRefs = new ArrayList<>();

  /**
   * @param documents loads a schema document by its absolute URI (without fragment)
   * @param delegated keyword locations ({@code <document>#<pointer to keyword>}) left out of the
   *     compiled schema because code checks exactly the same thing (with a more specific rule id);
   *     compilation fails if one of them does not exist, so a schema edit cannot orphan it
   */
  public SchemaCompiler(Function<URI, JsonNode> documents, Set<String> delegated) {
    this.documents = documents;
    this.delegated = Set.copyOf(delegated);
  }

  /** Fails when a delegated keyword location named no keyword of the compiled schemas. */
  public void checkDelegatedLocationsExist() {
    for (String location : delegated) {
      if (!seenDelegated.contains(location)) {
        throw new IllegalArgumentException("delegated schema keyword " + location + " does not exist");
      }
    }
  }

  private final Set<String> seenDelegated = new java.util.HashSet<>();

  /** Compiles the schema at {@code uri} (a document, optionally with a JSON Pointer fragment). */
  public SchemaNode compile(URI uri) {
    SchemaNode node = resolve(uri);
    while (!pendingRefs.isEmpty()) {
      List<Runnable> batch = new ArrayList<>(pendingRefs);
      pendingRefs.clear();
      batch.forEach(Runnable::run);
    }
    return node;
  }

  private SchemaNode resolve(URI uri) {
    URI document = withoutFragment(uri);
    String fragment = uri.getRawFragment() == null ? "" : uri.getRawFragment();
    String location = document + "#" + fragment;
    SchemaNode existing = compiled.get(location);
    if (existing != null) {
      return existing;
    }
    JsonNode root = documents.apply(document);
    if (root == null) {
      throw new IllegalArgumentException("schema document not found: " + document);
    }
    JsonNode schema = fragment.isEmpty() ? root : root.at(fragment);
    if (schema.isMissingNode()) {
      throw new IllegalArgumentException("no schema at " + location);
    }
    return compile(schema, document, fragment);
  }

  private SchemaNode compile(JsonNode schema, URI document, String pointer) {
    String location = document + "#" + pointer;
    SchemaNode node = new SchemaNode(location);
    compiled.put(location, node);
    List<SchemaNode.Keyword> keywords = new ArrayList<>();
    if (schema.isBoolean()) {
      if (!schema.booleanValue()) {
        keywords.add((v, p, e) -> e != null && fail(e, p.pointer(), "false", location, "no value is allowed here"));
      }
      node.keywords(keywords);
      return node;
    }
    if (!schema.isObject()) {
      throw new IllegalArgumentException("not a schema at " + location);
    }
    Iterator<Map.Entry<String, JsonNode>> members = schema.properties().iterator();
    while (members.hasNext()) {
      Map.Entry<String, JsonNode> member = members.next();
      String keyword = member.getKey();
      JsonNode arg = member.getValue();
      String at = pointer + "/" + keyword;
      if (ANNOTATIONS.contains(keyword) || keyword.equals("then") || keyword.equals("else")) {
        continue;
      }
      if (delegated.contains(document + "#" + at)) {
        seenDelegated.add(document + "#" + at);
        continue;
      }
      keywords.add(keyword(keyword, arg, schema, document, at, location));
    }
    node.keywords(keywords);
    return node;
  }

  // The compiled keywords test node types with instanceof, not isObject() and the like: those are
  // calls on a type with many subclasses that the JIT cannot inline, made for every keyword and value.
  private SchemaNode.Keyword keyword(String keyword, JsonNode arg, JsonNode schema, URI document, String at,
                                     String location) {
    String here = document + "#" + at;
    switch (keyword) {
      case "type":
        return typeKeyword(arg, here);
      case "enum": {
        List<JsonNode> values = new ArrayList<>();
        arg.forEach(values::add);
        String allowed = arg.toString();
        return (v, p, e) -> contains(values, v) || e != null && fail(e, p.pointer(), "enum", here, "must be one of " + allowed);
      }
      case "const":
        return (v, p, e) -> jsonEquals(arg, v) || e != null && fail(e, p.pointer(), "const", here, "must be " + arg);
      case "required": {
        String[] names = new String[arg.size()];
        for (int i = 0; i < names.length; i++) {
          names[i] = arg.get(i).textValue();
        }
        return (v, p, e) -> {
          if (!(v instanceof ObjectNode object)) {
            return true;
          }
          boolean ok = true;
          for (String name : names) {
            if (object.get(name) == null) {
              if (e == null) {
                return false;
              }
              ok = fail(e, p.pointer(name), "required", here, "required property '" + name + "' is missing");
            }
          }
          return ok;
        };
      }
      case "properties":
        return propertiesKeyword(arg, document, at);
      case "additionalProperties": {
        Set<String> declared = new java.util.HashSet<>();
        schema.path("properties").fieldNames().forEachRemaining(declared::add);
        SchemaNode sub = compile(arg, document, at);
        return (v, p, e) -> {
          if (!(v instanceof ObjectNode object)) {
            return true;
          }
          boolean ok = true;
          Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator();
          while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!declared.contains(m.getKey()) && !member(sub, m.getValue(), m.getKey(), p, e)) {
              if (e == null) {
                return false;
              }
              ok = false;
            }
          }
          return ok;
        };
      }
      case "items": {
        SchemaNode sub = compile(arg, document, at);
        int first = schema.path("prefixItems").size(); // 2020-12: items covers what prefixItems does not
        return (v, p, e) -> {
          if (!(v instanceof ArrayNode array)) {
            return true;
          }
          boolean ok = true;
          for (int i = first; i < array.size(); i++) {
            boolean valid = element(sub, array, i, p, e);
            if (!valid && e == null) {
              return false;
            }
            ok &= valid;
          }
          return ok;
        };
      }
      case "prefixItems": {
        SchemaNode[] subs = subschemas(arg, document, at);
        return (v, p, e) -> {
          if (!(v instanceof ArrayNode array)) {
            return true;
          }
          boolean ok = true;
          for (int i = 0; i < Math.min(subs.length, array.size()); i++) {
            boolean valid = element(subs[i], array, i, p, e);
            if (!valid && e == null) {
              return false;
            }
            ok &= valid;
          }
          return ok;
        };
      }
      case "minItems": {
        int min = arg.intValue();
        return (v, p, e) -> !(v instanceof ArrayNode array) || array.size() >= min
            || e != null && fail(e, p.pointer(), keyword, here, "must have at least " + min + " items");
      }
      case "maxItems": {
        int max = arg.intValue();
        return (v, p, e) -> !(v instanceof ArrayNode array) || array.size() <= max
            || e != null && fail(e, p.pointer(), keyword, here, "must have at most " + max + " items");
      }
      case "minLength": {
        int min = arg.intValue();
        return (v, p, e) -> !(v instanceof TextNode text) || codePoints(text.textValue()) >= min
            || e != null && fail(e, p.pointer(), keyword, here, "must be at least " + min + " characters long");
      }
      case "maxLength": {
        int max = arg.intValue();
        return (v, p, e) -> !(v instanceof TextNode text) || codePoints(text.textValue()) <= max
            || e != null && fail(e, p.pointer(), keyword, here, "must be at most " + max + " characters long");
      }
      case "pattern": {
        Pattern regex = Pattern.compile(ecmaToJava(arg.textValue()));
        String source = arg.textValue();
        return (v, p, e) -> !(v instanceof TextNode text) || find(regex, text.textValue())
            || e != null && fail(e, p.pointer(), keyword, here, "does not match the pattern " + source);
      }
      case "minimum":
      case "maximum":
      case "exclusiveMinimum":
      case "exclusiveMaximum":
        return boundKeyword(keyword, arg.decimalValue(), here);
      case "allOf": {
        SchemaNode[] subs = subschemas(arg, document, at);
        return (v, p, e) -> {
          boolean ok = true;
          for (SchemaNode sub : subs) {
            if (!sub.test(v, p, e)) {
              if (e == null) {
                return false;
              }
              ok = false;
            }
          }
          return ok;
        };
      }
      case "anyOf": {
        SchemaNode[] subs = subschemas(arg, document, at);
        return (v, p, e) -> {
          for (SchemaNode sub : subs) {
            if (sub.test(v, p, null)) {
              return true;
            }
          }
          return e != null && fail(e, p.pointer(), keyword, here, "must match at least one of the " + subs.length + " alternatives");
        };
      }
      case "oneOf": {
        SchemaNode[] subs = subschemas(arg, document, at);
        return (v, p, e) -> {
          int matches = 0;
          for (SchemaNode sub : subs) {
            if (sub.test(v, p, null)) {
              matches++;
            }
          }
          return matches == 1 || e != null && fail(e, p.pointer(), keyword, here,
              "must match exactly one of the " + subs.length + " alternatives, matched " + matches);
        };
      }
      case "not": {
        SchemaNode sub = compile(arg, document, at);
        return (v, p, e) -> !sub.test(v, p, null) || e != null && fail(e, p.pointer(), keyword, here, "must not match the schema at " + sub.location());
      }
      case "if": {
        SchemaNode condition = compile(arg, document, at);
        String base = at.substring(0, at.length() - "/if".length());
        SchemaNode then = schema.has("then") ? compile(schema.get("then"), document, base + "/then") : null;
        SchemaNode otherwise = schema.has("else") ? compile(schema.get("else"), document, base + "/else") : null;
        return (v, p, e) -> {
          SchemaNode branch = condition.test(v, p, null) ? then : otherwise;
          return branch == null || branch.test(v, p, e);
        };
      }
      case "$ref": {
        URI target = document.resolve(URI.create(arg.textValue()));
        SchemaNode[] resolved = new SchemaNode[1];
        pendingRefs.add(() -> resolved[0] = resolve(target));
        return (v, p, e) -> resolved[0].test(v, p, e);
      }
      default:
        throw new IllegalArgumentException("unsupported JSON Schema keyword \"" + keyword + "\" at " + location
            + "; extend SchemaCompiler (and its equivalence test) before using it in the contract");
    }
  }

  private SchemaNode.Keyword propertiesKeyword(JsonNode arg, URI document, String at) {
    Map<String, SchemaNode> subs = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = arg.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> m = it.next();
      subs.put(m.getKey(), compile(m.getValue(), document, at + "/" + escape(m.getKey())));
    }
    String[] names = subs.keySet().toArray(new String[0]);
    SchemaNode[] nodes = new SchemaNode[names.length];
    for (int i = 0; i < names.length; i++) {
      nodes[i] = subs.get(names[i]);
    }
    return (v, p, e) -> {
      if (!(v instanceof ObjectNode object)) {
        return true;
      }
      if (e == null) {
        return membersValid(object, subs, p);
      }
      // Collecting errors: name by name in a fixed order, so that they are reported as they always were.
      boolean ok = true;
      for (int i = 0; i < names.length; i++) {
        JsonNode member = object.get(names[i]);
        if (member != null && !member(nodes[i], member, names[i], p, e)) {
          ok = false;
        }
      }
      return ok;
    };
  }

  /**
   * Whether every member of {@code object} that has a schema in {@code byName} is valid under it.
   * Looks up the members the object has rather than every declared name: objects carry few of
   * the properties a schema declares, and a validity check needs no particular order.
   */
  private static boolean membersValid(ObjectNode object, Map<String, SchemaNode> byName, JsonPath p) {
    Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> m = it.next();
      SchemaNode sub = byName.get(m.getKey());
      if (sub != null && !sub.test(m.getValue(), p, null)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Tests one object member against {@code sub}, with the path pointing at it. The path is read only
   * when errors are collected, so a validity check ({@code e == null}) leaves it alone.
   */
  private static boolean member(SchemaNode sub, JsonNode value, String name, JsonPath p, List<SchemaError> e) {
    if (e == null) {
      return sub.test(value, p, null);
    }
    p.push(name);
    boolean valid = sub.test(value, p, e);
    p.pop();
    return valid;
  }

  /** Tests one array element against {@code sub}, like {@link #member}. */
  private static boolean element(SchemaNode sub, ArrayNode array, int index, JsonPath p, List<SchemaError> e) {
    if (e == null) {
      return sub.test(array.get(index), p, null);
    }
    p.push(index);
    boolean valid = sub.test(array.get(index), p, e);
    p.pop();
    return valid;
  }

  private static SchemaNode.Keyword typeKeyword(JsonNode arg, String here) {
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
      return e != null && fail(e, p.pointer(), "type", here, typeName(v) + " found, " + expected + " expected");
    };
  }

  private static SchemaNode.Keyword boundKeyword(String keyword, BigDecimal bound, String here) {
    double boundDouble = bound.doubleValue();
    return (v, p, e) -> {
      if (!(v instanceof NumericNode)) {
        return true;
      }
      // Arithmetic comparison: -0.0 is not below 0 (Double.compare would say it is).
      double d = v.doubleValue();
      int cmp = v.isDouble() || v.isInt() || v.isLong() ? (d < boundDouble ? -1 : d > boundDouble ? 1 : 0)
          : v.decimalValue().compareTo(bound);
      boolean ok = switch (keyword) {
        case "minimum" -> cmp >= 0;
        case "maximum" -> cmp <= 0;
        case "exclusiveMinimum" -> cmp > 0;
        default -> cmp < 0;
      };
      String relation = switch (keyword) {
        case "minimum" -> "at least ";
        case "maximum" -> "at most ";
        case "exclusiveMinimum" -> "greater than ";
        default -> "less than ";
      };
      return ok || e != null && fail(e, p.pointer(), keyword, here, "must be " + relation + bound.toPlainString());
    };
  }

  private SchemaNode[] subschemas(JsonNode arg, URI document, String at) {
    SchemaNode[] subs = new SchemaNode[arg.size()];
    for (int i = 0; i < subs.length; i++) {
      subs[i] = compile(arg.get(i), document, at + "/" + i);
    }
    return subs;
  }

  /** The seven JSON Schema types. */
  private enum JsonType {
    OBJECT, ARRAY, STRING, BOOLEAN, NULL, NUMBER, INTEGER;

    static JsonType of(String name) {
      return valueOf(name.toUpperCase(java.util.Locale.ROOT));
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

  private static boolean fail(List<SchemaError> errors, String pointer, String keyword, String location, String message) {
    if (errors != null) {
      errors.add(new SchemaError(pointer, keyword, location, message));
    }
    return false;
  }

  /** java.util.regex recurses on repeated groups; an input deep enough to overflow the stack does not match. */
  private static boolean find(Pattern regex, String text) {
    try {
      return regex.matcher(text).find();
    } catch (StackOverflowError e) {
      return false;
    }
  }

  private static int codePoints(String s) {
    return s.codePointCount(0, s.length());
  }

  /**
   * ECMA-262 patterns as java.util.regex: {@code $} means end of input (not "before a final line
   * terminator" as in Java), so an unescaped trailing {@code $} becomes {@code \z}.
   */
  static String ecmaToJava(String pattern) {
    if (pattern.endsWith("$") && !pattern.endsWith("\\$")) {
      return pattern.substring(0, pattern.length() - 1) + "\\z";
    }
    return pattern;
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static URI withoutFragment(URI uri) {
    String s = uri.toString();
    int hash = s.indexOf('#');
    return hash < 0 ? uri : URI.create(s.substring(0, hash));
  }
}
