package org.kfm.telemetry.validation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A fixed set of {@link FieldRule}s with what each looks at read once, so that the walk decides
 * from plain fields which rules a value concerns. Immutable and thread-safe.
 */
final class FieldRules {

  private final FieldRule[] rules;
  private final int[] traitsOfInterest;
  private final boolean[] wantsAllText;
  private final boolean[] wantsArrays;
  private final boolean[] wantsAllArrays;

  /**
   * Union of the rules' traits of interest: a value under a key with none of them concerns no rule
   * by key.
   */
  private final int anyTraits;

  private final boolean anyWantsAllText;

  FieldRules(FieldRule... rules) {
    this.rules = rules.clone();
    traitsOfInterest = new int[rules.length];
    wantsAllText = new boolean[rules.length];
    wantsArrays = new boolean[rules.length];
    wantsAllArrays = new boolean[rules.length];
    int traits = 0;
    boolean allText = false;
    for (int i = 0; i < rules.length; i++) {
      traitsOfInterest[i] = rules[i].traitsOfInterest();
      wantsAllText[i] = rules[i].wantsAllText();
      wantsArrays[i] = rules[i].wantsArrays();
      wantsAllArrays[i] = rules[i].wantsAllArrays();
      traits |= traitsOfInterest[i];
      allText |= wantsAllText[i];
    }
    anyTraits = traits;
    anyWantsAllText = allText;
  }

  /** Shows an object key that holds a secret or personal data itself to every rule. */
  void visitKey(Payload payload, Field field, Findings findings) {
    for (FieldRule rule : rules) {
      rule.visitKey(payload, field, findings);
    }
  }

  /** Shows a whole array to the rules that want arrays under its key, or every array. */
  void visitArray(Payload payload, Field field, JsonNode array, Findings findings) {
    int traits = field.traits();
    for (int i = 0; i < rules.length; i++) {
      if (wantsAllArrays[i] || (wantsArrays[i] && (traits & traitsOfInterest[i]) != 0)) {
        rules[i].visit(payload, field, array, findings);
      }
    }
  }

  /**
   * Shows a scalar to the rules that look at values under its key, or at all text when it is text.
   */
  void visitScalar(Payload payload, Field field, JsonNode value, boolean text, Findings findings) {
    int traits = field.traits();
    if ((traits & anyTraits) == 0 && !(text && anyWantsAllText)) {
      return;
    }
    for (int i = 0; i < rules.length; i++) {
      if ((traits & traitsOfInterest[i]) != 0 || (text && wantsAllText[i])) {
        rules[i].visit(payload, field, value, findings);
      }
    }
  }
}
