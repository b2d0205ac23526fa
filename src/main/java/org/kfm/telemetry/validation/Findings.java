package org.kfm.telemetry.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the findings of one record's validation. Pointers given to {@link #add} are relative to
 * the payload; the collector prefixes them with the payload's place in the record. Not thread-safe:
 * one instance per validation.
 */
public final class Findings {

  private String prefix;
  private List<Finding> errors;
  private List<Finding> warnings;
  private boolean secretFound;

  Findings(String prefix) {
    this.prefix = prefix;
  }

  /** Records a finding of {@code rule} at {@code pointer} (relative to the payload). */
  public void add(RuleId rule, String pointer, String message) {
    // A message may quote what it complains about; a secret never leaves in a message.
    Finding finding =
        new Finding(
            rule.id(),
            rule.severity(),
            Redactor.redactText(prefix + pointer),
            Redactor.redactUnparsed(message));
    if (rule.severity() == Severity.ERROR) {
      if (errors == null) {
        errors = new ArrayList<>(4);
      }
      errors.add(finding);
    } else {
      if (warnings == null) {
        warnings = new ArrayList<>(4);
      }
      warnings.add(finding);
    }
  }

  /** Changes where the following findings' pointers are relative to. */
  void prefix(String newPrefix) {
    this.prefix = newPrefix;
  }

  /** Records a secret finding and remembers that the record needs redaction. */
  public void addSecret(RuleId rule, String pointer, String message) {
    secretFound = true;
    add(rule, pointer, message);
  }

  /** True when an error has been reported at {@code pointer} or at a pointer inside or above it. */
  boolean hasErrorNear(String pointer) {
    if (errors == null) {
      return false;
    }
    String full = prefix + pointer;
    for (Finding f : errors) {
      if (f.path().length() > prefix.length()
          && (isWithin(full, f.path()) || isWithin(f.path(), full))) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code rule} has already been reported for this record. */
  boolean hasRule(RuleId rule) {
    List<Finding> list = rule.severity() == Severity.ERROR ? errors : warnings;
    if (list == null) {
      return false;
    }
    for (Finding f : list) {
      if (f.rule().equals(rule.id())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isWithin(String inner, String outer) {
    return inner.startsWith(outer)
        && (inner.length() == outer.length() || inner.charAt(outer.length()) == '/');
  }

  boolean secretFound() {
    return secretFound;
  }

  List<Finding> errors() {
    return errors == null ? List.of() : List.copyOf(errors);
  }

  List<Finding> warnings() {
    return warnings == null ? List.of() : List.copyOf(warnings);
  }
}
