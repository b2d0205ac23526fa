package org.kfm.telemetry.validation;

/** What a finding does to its record: an error rejects it, a warning lets it pass. */
public enum Severity {
  ERROR,
  WARN;

  /** The lower-case word used in JSON output and documentation. */
  public String word() {
    return this == ERROR ? "error" : "warn";
  }
}
