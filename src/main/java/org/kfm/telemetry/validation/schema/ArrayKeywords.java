package org.kfm.telemetry.validation.schema;

import static org.kfm.telemetry.validation.schema.SchemaNode.Keyword.fail;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import org.kfm.telemetry.contract.JsonPath;

/**
 * The keywords of arrays: {@code prefixItems}, {@code items} (2020-12), {@code minItems}, {@code
 * maxItems}.
 */
final class ArrayKeywords {

  private ArrayKeywords() {}

  static SchemaNode.Keyword compile(KeywordSite site) {
    String keyword = site.keyword();
    String here = site.here();
    switch (keyword) {
      case "items":
        {
          SchemaNode sub = site.subschema();
          int first =
              site.schema()
                  .path("prefixItems")
                  .size(); // 2020-12: items covers what prefixItems does not
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
      case "prefixItems":
        {
          SchemaNode[] subs = site.subschemas();
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
      case "minItems":
        {
          int min = site.arg().intValue();
          return (v, p, e) ->
              !(v instanceof ArrayNode array)
                  || array.size() >= min
                  || e != null
                      && fail(
                          e, p.pointer(), keyword, here, "must have at least " + min + " items");
        }
      case "maxItems":
        {
          int max = site.arg().intValue();
          return (v, p, e) ->
              !(v instanceof ArrayNode array)
                  || array.size() <= max
                  || e != null
                      && fail(e, p.pointer(), keyword, here, "must have at most " + max + " items");
        }
      default:
        throw new IllegalArgumentException("not an array keyword: " + keyword);
    }
  }

  /**
   * Tests one array element against {@code sub}, with the path pointing at it. The path is read
   * only when errors are collected, so a validity check ({@code e == null}) leaves it alone.
   */
  private static boolean element(
      SchemaNode sub, ArrayNode array, int index, JsonPath p, List<SchemaError> e) {
    if (e == null) {
      return sub.test(array.get(index), p, null);
    }
    p.push(index);
    boolean valid = sub.test(array.get(index), p, e);
    p.pop();
    return valid;
  }
}
