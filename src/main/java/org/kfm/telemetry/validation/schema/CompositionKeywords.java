package org.kfm.telemetry.validation.schema;

import static org.kfm.telemetry.validation.schema.SchemaNode.Keyword.fail;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The keywords that combine subschemas: {@code allOf}, {@code anyOf}, {@code oneOf}, {@code not},
 * and the conditional {@code if} with its {@code then} and {@code else}.
 */
final class CompositionKeywords {

  private CompositionKeywords() {}

  static SchemaNode.Keyword compile(KeywordSite site) {
    String keyword = site.keyword();
    String here = site.here();
    switch (keyword) {
      case "allOf":
        {
          SchemaNode[] subs = site.subschemas();
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
      case "anyOf":
        {
          SchemaNode[] subs = site.subschemas();
          return (v, p, e) -> {
            for (SchemaNode sub : subs) {
              if (sub.test(v, p, null)) {
                return true;
              }
            }
            return e != null
                && fail(
                    e,
                    p.pointer(),
                    keyword,
                    here,
                    "must match at least one of the " + subs.length + " alternatives");
          };
        }
      case "oneOf":
        {
          SchemaNode[] subs = site.subschemas();
          return (v, p, e) -> {
            int matches = 0;
            for (SchemaNode sub : subs) {
              if (sub.test(v, p, null)) {
                matches++;
              }
            }
            return matches == 1
                || e != null
                    && fail(
                        e,
                        p.pointer(),
                        keyword,
                        here,
                        "must match exactly one of the "
                            + subs.length
                            + " alternatives, matched "
                            + matches);
          };
        }
      case "not":
        {
          SchemaNode sub = site.subschema();
          return (v, p, e) ->
              !sub.test(v, p, null)
                  || e != null
                      && fail(
                          e,
                          p.pointer(),
                          keyword,
                          here,
                          "must not match the schema at " + sub.location());
        }
      case "if":
        return conditional(site);
      default:
        throw new IllegalArgumentException("not a composition keyword: " + keyword);
    }
  }

  /**
   * {@code if} with the {@code then} and {@code else} beside it (which are compiled here, not on
   * their own).
   */
  private static SchemaNode.Keyword conditional(KeywordSite site) {
    SchemaNode condition = site.subschema();
    String at = site.at();
    String base = at.substring(0, at.length() - "/if".length());
    JsonNode schema = site.schema();
    SchemaNode then =
        schema.has("then") ? site.subschema(schema.get("then"), base + "/then") : null;
    SchemaNode otherwise =
        schema.has("else") ? site.subschema(schema.get("else"), base + "/else") : null;
    return (v, p, e) -> {
      SchemaNode branch = condition.test(v, p, null) ? then : otherwise;
      return branch == null || branch.test(v, p, e);
    };
  }
}
