package org.kfm.telemetry.validation.schema;

import static org.kfm.telemetry.validation.schema.SchemaNode.Keyword.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kfm.telemetry.contract.JsonPath;

/**
 * The keywords of objects: {@code required}, {@code properties} and {@code additionalProperties}.
 */
final class ObjectKeywords {

  private ObjectKeywords() {}

  static SchemaNode.Keyword compile(KeywordSite site) {
    switch (site.keyword()) {
      case "required":
        return required(site.arg(), site.here());
      case "properties":
        return properties(site);
      case "additionalProperties":
        return additionalProperties(site);
      default:
        throw new IllegalArgumentException("not an object keyword: " + site.keyword());
    }
  }

  private static SchemaNode.Keyword required(JsonNode arg, String here) {
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
          ok =
              fail(
                  e,
                  p.pointer(name),
                  "required",
                  here,
                  "required property '" + name + "' is missing");
        }
      }
      return ok;
    };
  }

  private static SchemaNode.Keyword properties(KeywordSite site) {
    Map<String, SchemaNode> subs = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = site.arg().properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> m = it.next();
      subs.put(m.getKey(), site.subschema(m.getValue(), site.at() + "/" + escape(m.getKey())));
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
      // Collecting errors: name by name in a fixed order, so that they are reported as they always
      // were.
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

  private static SchemaNode.Keyword additionalProperties(KeywordSite site) {
    Set<String> declared = new HashSet<>();
    site.schema().path("properties").fieldNames().forEachRemaining(declared::add);
    SchemaNode sub = site.subschema();
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

  /**
   * Whether every member of {@code object} that has a schema in {@code byName} is valid under it.
   * Looks up the members the object has rather than every declared name: objects carry few of the
   * properties a schema declares, and a validity check needs no particular order.
   */
  private static boolean membersValid(
      ObjectNode object, Map<String, SchemaNode> byName, JsonPath p) {
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
   * Tests one object member against {@code sub}, with the path pointing at it. The path is read
   * only when errors are collected, so a validity check ({@code e == null}) leaves it alone.
   */
  private static boolean member(
      SchemaNode sub, JsonNode value, String name, JsonPath p, List<SchemaError> e) {
    if (e == null) {
      return sub.test(value, p, null);
    }
    p.push(name);
    boolean valid = sub.test(value, p, e);
    p.pop();
    return valid;
  }

  /** A property name as a JSON Pointer token. */
  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
