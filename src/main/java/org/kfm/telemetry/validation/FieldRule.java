package org.kfm.telemetry.validation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A rule that looks at every value of a payload, one at a time, during the validator's single walk
 * over the tree. Implementations are stateless and thread-safe.
 */
public interface FieldRule {

  /**
   * Visits one scalar or array value.
   *
   * @param payload the payload being validated
   * @param field where the value is: its nearest object key and its pointer
   * @param value the value (a scalar, or an array when {@link #wantsArrays()})
   * @param findings where to report
   */
  void visit(Payload payload, Field field, JsonNode value, Findings findings);

  /**
   * Visits an object key that holds a secret or personal data itself ({@link
   * KeyTraits#SENSITIVE_KEY}).
   */
  default void visitKey(Payload payload, Field field, Findings findings) {}

  /**
   * The {@link KeyTraits} whose values this rule looks at; the walk skips the rule for values under
   * other keys. Zero means "not by key".
   */
  int traitsOfInterest();

  /** Whether this rule looks at every string, whatever its key. */
  default boolean wantsAllText() {
    return false;
  }

  /**
   * Whether this rule wants to see arrays whole (before their elements are visited) under the keys
   * of {@link #traitsOfInterest()}.
   */
  default boolean wantsArrays() {
    return false;
  }

  /** Whether this rule wants to see every array whole, whatever its key. */
  default boolean wantsAllArrays() {
    return false;
  }
}
