package org.kfm.telemetry.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.kfm.telemetry.contract.Envelope;

/**
 * The validator's answer for one record.
 *
 * @param valid true when there are no errors (warnings do not reject)
 * @param record the whole parsed record (the envelope too, for structured CloudEvents), null when
 *     unparseable
 * @param payload the parsed telemetry payload, null when the record could not be parsed or
 *     unwrapped
 * @param envelope how the payload travelled (never null)
 * @param kind the payload's {@code kind} when it is well-formed, else null
 * @param errors findings of severity error, in rule order
 * @param warnings findings of severity warn
 * @param secretFound true when a secret was found, so the record must be redacted before it is
 *     stored
 */
public record Verdict(
    boolean valid,
    ObjectNode record,
    ObjectNode payload,
    Envelope envelope,
    String kind,
    List<Finding> errors,
    List<Finding> warnings,
    boolean secretFound) {

  /** The distinct rule ids of the errors, in order of first appearance. */
  public List<String> errorRules() {
    return errors.stream().map(Finding::rule).distinct().toList();
  }
}
