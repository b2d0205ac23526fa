package org.kfm.telemetry.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.kfm.telemetry.contract.Rfc3339;
import org.kfm.telemetry.validation.Findings;
import org.kfm.telemetry.validation.Payload;
import org.kfm.telemetry.validation.Rule;
import org.kfm.telemetry.validation.RuleId;

/**
 * KFM-TS-001/002/003: {@code ts} is an RFC 3339 date-time with a zone, names a real instant, and is
 * not further ahead of the validator's clock than the configured skew.
 */
public final class TimestampRule implements Rule {

  @Override
  public void check(Payload payload, Findings findings) {
    JsonNode node = payload.root().get("ts");
    if (node == null) {
      findings.add(
          RuleId.TS_001,
          "/ts",
          "ts is required: an RFC 3339 timestamp such as \"2026-01-23T18:42:11.123Z\"");
      return;
    }
    if (!node.isTextual()) {
      findings.add(
          RuleId.TS_001,
          "/ts",
          "ts must be an RFC 3339 timestamp string such as \"2026-01-23T18:42:11.123Z\"");
      return;
    }
    String ts = node.textValue();
    Rfc3339.Result result = Rfc3339.parse(ts);
    if (result.problem() == Rfc3339.Problem.FORMAT) {
      findings.add(
          RuleId.TS_001,
          "/ts",
          "ts \""
              + VersionRule.abbreviate(ts)
              + "\" is not an RFC 3339 date-time with a zone (e.g. \"2026-01-23T18:42:11.123Z\")");
      return;
    }
    if (result.problem() == Rfc3339.Problem.RANGE) {
      findings.add(
          RuleId.TS_002,
          "/ts",
          "ts \"" + VersionRule.abbreviate(ts) + "\" is not a real date and time");
      return;
    }
    Instant latest = payload.now().plus(payload.options().maxFutureSkew());
    if (result.instant().isAfter(latest)) {
      findings.add(
          RuleId.TS_003,
          "/ts",
          "ts "
              + ts
              + " is more than "
              + payload.options().maxFutureSkew().toString().substring(2).toLowerCase()
              + " ahead of the validator's clock ("
              + Rfc3339.format(payload.now())
              + ")");
    }
  }
}
