package org.kfm.telemetry.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import org.kfm.telemetry.validation.Findings;
import org.kfm.telemetry.validation.Payload;
import org.kfm.telemetry.validation.Rule;
import org.kfm.telemetry.validation.RuleId;

/**
 * KFM-META-010..014 and KFM-KIND-004/005, warnings only: the seed's "strongly recommended" fields,
 * and the run fields a {@code pipeline.step} should name (the contract's run shape recommends them;
 * a step joined by {@code correlation.correlation_id} alone is valid). Pipeline events ({@code
 * pipeline.*}) carry {@code run.commit_sha} and {@code run.config_hash}; run start/end events carry
 * {@code run.idempotency_key}; an event from a gate step carries a {@code policy} block; a publish
 * event carries {@code provenance}.
 */
public final class RecommendedFieldsRule implements Rule {

  @Override
  public void check(Payload payload, Findings findings) {
    String kind = payload.kind();
    if (kind == null) {
      return;
    }
    if (kind.equals("pipeline.step")) {
      if (payload.at("run", "pipeline") == null) {
        findings.add(
            RuleId.KIND_004,
            "/run/pipeline",
            "pipeline.step events should name their pipeline in run.pipeline");
      }
      if (payload.at("run", "step") == null) {
        findings.add(
            RuleId.KIND_005, "/run/step", "pipeline.step events should name the step in run.step");
      }
    }
    // Only absent members are "missing": a present but malformed one is an error of its own, and a
    // pipeline run event without a run block is already rejected by its kind's schema.
    if (kind.startsWith("pipeline.")
        && payload.root().get("run") instanceof com.fasterxml.jackson.databind.node.ObjectNode) {
      if (payload.at("run", "commit_sha") == null) {
        findings.add(
            RuleId.META_010,
            "/run/commit_sha",
            "pipeline events should carry run.commit_sha so the run can be replayed");
      }
      if (payload.at("run", "config_hash") == null) {
        findings.add(
            RuleId.META_011,
            "/run/config_hash",
            "pipeline events should carry run.config_hash (sha256 of the run's configuration)");
      }
      if (kind.startsWith("pipeline.run.")
          && payload.at("run", "idempotency_key") == null
          && payload.at("run", "canonical_digest") == null) {
        findings.add(
            RuleId.META_014,
            "/run/idempotency_key",
            "pipeline run events should carry run.idempotency_key or run.canonical_digest (stable digest of inputs"
                + " and config)");
      }
    }
    String step = payload.textAt("run", "step");
    boolean gateRan = kind.startsWith("policy.") || namesWord(step, "gate");
    if (gateRan && !payload.root().has("policy")) {
      findings.add(
          RuleId.META_012,
          "/policy",
          "a gate ran ("
              + (step != null ? "step " + step : kind)
              + ") but the event has no policy block with its decision");
    }
    JsonNode provenance = payload.root().get("provenance");
    if (isPublish(kind, step) && (provenance == null || provenance.isEmpty())) {
      findings.add(
          RuleId.META_013,
          "/provenance",
          "publish events should point to their provenance (STAC/DCAT/PROV references)");
    }
  }

  /**
   * True when {@code name} has {@code word} as one of its words, in snake_case, kebab-case, dotted
   * or camelCase ("ingestion_gate", "schemaGateCheck"; not "aggregate"). {@code word} is lower-case
   * ASCII. No allocation: runs per record.
   */
  static boolean namesWord(String name, String word) {
    if (name == null) {
      return false;
    }
    int n = name.length();
    int w = word.length();
    char first = word.charAt(0);
    for (int i = 0; i + w <= n; i++) {
      char c = name.charAt(i);
      // An ASCII character equals a lower-case letter ignoring case only as itself or its upper
      // case.
      if ((c >= 128 || (c | 0x20) == first) && name.regionMatches(true, i, word, 0, w)) {
        boolean starts =
            i == 0
                || !Character.isLetterOrDigit(name.charAt(i - 1))
                || (Character.isUpperCase(name.charAt(i))
                    && Character.isLowerCase(name.charAt(i - 1)));
        boolean ends =
            i + w == n
                || !Character.isLetterOrDigit(name.charAt(i + w))
                || Character.isUpperCase(name.charAt(i + w));
        if (starts && ends) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isPublish(String kind, String step) {
    return namesWord(kind, "publish")
        || namesWord(kind, "published")
        || namesWord(step, "publish")
        || namesWord(step, "published");
  }
}
