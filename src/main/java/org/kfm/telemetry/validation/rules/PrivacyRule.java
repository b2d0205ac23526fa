package org.kfm.telemetry.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import org.kfm.telemetry.validation.Findings;
import org.kfm.telemetry.validation.Payload;
import org.kfm.telemetry.validation.Rule;
import org.kfm.telemetry.validation.RuleId;

/**
 * KFM-PRIV-001/003: every event is classified, and only restricted or sensitive events may declare
 * that they carry PII.
 */
public final class PrivacyRule implements Rule {

  @Override
  public void check(Payload payload, Findings findings) {
    JsonNode privacy = payload.root().get("privacy");
    if (privacy != null && !privacy.isObject()) {
      findings.add(
          RuleId.PRIV_001,
          "/privacy",
          "privacy must be an object holding classification (public, internal,"
              + " restricted or sensitive)");
      return;
    }
    if (privacy == null || !privacy.has("classification")) {
      findings.add(
          RuleId.PRIV_001,
          "/privacy/classification",
          "privacy.classification is required: public, internal, restricted or sensitive");
      return;
    }
    if (payload.classification() == null) {
      findings.add(
          RuleId.PRIV_001,
          "/privacy/classification",
          "privacy.classification must be one of public, internal, restricted, sensitive");
      return;
    }
    if (payload.containsPii() && !payload.isRestricted()) {
      findings.add(
          RuleId.PRIV_003,
          "/privacy/contains_pii",
          "an event that contains PII must be classified restricted or sensitive, not "
              + payload.classification());
    }
  }
}
