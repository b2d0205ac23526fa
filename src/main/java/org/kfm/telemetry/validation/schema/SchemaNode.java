package org.kfm.telemetry.validation.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.kfm.telemetry.contract.JsonPath;

/**
 * A compiled JSON Schema: its keywords as small checks, evaluated in order. Immutable and
 * thread-safe. Evaluation allocates nothing while the instance is valid.
 */
public final class SchemaNode {

  /**
   * One compiled keyword. With {@code errors == null} it only answers whether the value is valid.
   */
  interface Keyword {
    boolean test(JsonNode value, JsonPath path, List<SchemaError> errors);

    /**
     * Reports a violation when errors are collected ({@code errors != null}); false, for a keyword
     * to return.
     */
    static boolean fail(
        List<SchemaError> errors, String pointer, String keyword, String location, String message) {
      if (errors != null) {
        errors.add(new SchemaError(pointer, keyword, location, message));
      }
      return false;
    }
  }

  private final String location;
  private Keyword[] keywords = new Keyword[0];

  SchemaNode(String location) {
    this.location = location;
  }

  void keywords(List<Keyword> compiled) {
    this.keywords = compiled.toArray(new Keyword[0]);
  }

  /** Where this schema is: {@code <document $id>#<JSON Pointer>}. */
  public String location() {
    return location;
  }

  /** All violations of this schema by {@code instance}; an empty list when it is valid. */
  public List<SchemaError> validate(JsonNode instance) {
    JsonPath path = new JsonPath();
    if (test(instance, path, null)) {
      return List.of();
    }
    List<SchemaError> errors = new ArrayList<>();
    test(instance, path, errors);
    return errors;
  }

  boolean test(JsonNode value, JsonPath path, List<SchemaError> errors) {
    boolean ok = true;
    for (Keyword keyword : keywords) {
      if (!keyword.test(value, path, errors)) {
        if (errors == null) {
          return false;
        }
        ok = false;
      }
    }
    return ok;
  }
}
