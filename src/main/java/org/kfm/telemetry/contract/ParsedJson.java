package org.kfm.telemetry.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The outcome of bounded parsing: exactly one of {@code root} and {@code problem} is non-null. */
public record ParsedJson(ObjectNode root, ParseProblem problem) {

  static ParsedJson ok(ObjectNode root) {
    return new ParsedJson(root, null);
  }

  static ParsedJson failed(ParseProblem.Kind kind, String pointer, String message) {
    return new ParsedJson(null, new ParseProblem(kind, pointer, message));
  }

  public boolean isOk() {
    return root != null;
  }
}
