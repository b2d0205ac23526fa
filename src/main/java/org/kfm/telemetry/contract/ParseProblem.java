package org.kfm.telemetry.contract;

/**
 * Why a record could not be parsed into a JSON object.
 *
 * @param kind the class of problem
 * @param pointer JSON Pointer to where parsing stopped ("" for the whole record)
 * @param message short human-readable explanation, with line and column where known
 */
public record ParseProblem(Kind kind, String pointer, String message) {

  /** The classes of parse problem; each maps to one contract rule. */
  public enum Kind {
    INVALID_UTF8,
    SYNTAX,
    NOT_AN_OBJECT,
    DUPLICATE_KEY,
    TOO_LARGE,
    TOO_DEEP,
    TOO_LONG
  }
}
