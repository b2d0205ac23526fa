package org.kfm.telemetry.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import org.kfm.telemetry.contract.JoinKeys;
import org.kfm.telemetry.validation.Findings;
import org.kfm.telemetry.validation.Payload;
import org.kfm.telemetry.validation.Rule;
import org.kfm.telemetry.validation.RuleId;

/**
 * KFM-JOIN-001/002/003: every event carries a usable join key, {@code run.run_id} or {@code
 * correlation.correlation_id} (a {@code wpe.alert} without one only warns, as the seed's example
 * has none).
 */
public final class JoinKeyRule implements Rule {

  /** Longest accepted join key. */
  public static final int MAX_LENGTH = JoinKeys.MAX_LENGTH;

  @Override
  public void check(Payload payload, Findings findings) {
    boolean run = checkKey(payload.at("run", "run_id"), "/run/run_id", findings);
    boolean correlation =
        checkKey(
            payload.at("correlation", "correlation_id"), "/correlation/correlation_id", findings);
    if (run || correlation) {
      return;
    }
    boolean present =
        payload.at("run", "run_id") != null || payload.at("correlation", "correlation_id") != null;
    if (present) {
      return; // the malformed key was reported by checkKey
    }
    if ("wpe.alert".equals(payload.kind())) {
      findings.add(
          RuleId.JOIN_002,
          "/correlation/correlation_id",
          "wpe.alert has no join key; alerts should carry correlation.correlation_id");
    } else {
      findings.add(
          RuleId.JOIN_001,
          "",
          "no join key: set run.run_id (pipeline runs) or correlation.correlation_id (requests, sessions)");
    }
  }

  /** Reports a malformed key; returns true when the key is present and usable. */
  private static boolean checkKey(JsonNode node, String pointer, Findings findings) {
    if (node == null) {
      return false;
    }
    if (!node.isTextual()) {
      findings.add(
          RuleId.JOIN_003, pointer, pointer.substring(1).replace('/', '.') + " must be a string");
      return false;
    }
    if (!JoinKeys.usable(node.textValue())) {
      findings.add(
          RuleId.JOIN_003,
          pointer,
          pointer.substring(1).replace('/', '.')
              + " must be 1 to "
              + MAX_LENGTH
              + " characters without whitespace, control or invisible format characters");
      return false;
    }
    return true;
  }
}
