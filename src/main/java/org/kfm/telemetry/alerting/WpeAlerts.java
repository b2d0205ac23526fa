package org.kfm.telemetry.alerting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.SloVerdict;
import org.kfm.telemetry.config.AlertSigning;
import org.kfm.telemetry.contract.PayloadSignatures;
import org.kfm.telemetry.contract.Sha256;
import org.kfm.telemetry.health.HealthRuleId;

/**
 * Builds signed {@code wpe.alert} payloads in the seed's form from a health check: firing (level
 * error, decision fail, one deny per breached rule) or resolved (level info, decision pass, no
 * denies).
 */
public final class WpeAlerts {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final AlertSigning signing;
  private final String healthTopic;

  public WpeAlerts(AlertSigning signing, String healthTopic) {
    this.signing = signing;
    this.healthTopic = healthTopic;
  }

  /**
   * A deterministic alert id: {@code kfm-alert-} + 32 hex of the SHA-256 of scope, rules, window
   * end, transition.
   */
  public static String alertId(
      String scope, List<String> rules, Instant windowEnd, boolean firing) {
    String text =
        scope
            + "|"
            + String.join(",", rules)
            + "|"
            + windowEnd
            + "|"
            + (firing ? "fire" : "resolve");
    return "kfm-alert-" + Sha256.hexPrefix(text, 16);
  }

  /** The alert's ts (the window end), as RFC 3339 with milliseconds. */
  public static String ts(Instant windowEnd) {
    return TS.format(windowEnd);
  }

  /** The signed payload announcing that {@code verdicts} breached (firing) or recovered. */
  public ObjectNode alert(
      HealthCheck check, List<SloVerdict> verdicts, boolean firing, String healthKey) {
    List<String> rules = verdicts.stream().map(SloVerdict::getRuleId).toList();
    ObjectNode alert = NODES.objectNode();
    alert
        .put("schema_version", "2.0.0")
        .put("kind", "wpe.alert")
        .put("ts", ts(check.getWindowEnd()))
        .put("level", firing ? "error" : "info")
        .put("message", message(rules, firing));
    ObjectNode actor =
        alert.putObject("actor").put("actor_type", "agent").put("actor_id", "kfm.watcher");
    actor.putArray("roles").add("observer");
    alert
        .putObject("target")
        .put("pipeline", check.getScope())
        .put("window_hours", check.getWindowHours());
    ObjectNode metrics = alert.putObject("metrics").put("runs_checked", check.getRunsChecked());
    if (check.getTraceCoveragePct() != null) {
      metrics.put("trace_coverage_pct", check.getTraceCoveragePct());
    }
    if (check.getEnergyReportCoveragePct() != null) {
      metrics.put("energy_report_coverage_pct", check.getEnergyReportCoveragePct());
    }
    ObjectNode policy = alert.putObject("policy").put("decision", firing ? "fail" : "pass");
    ArrayNode denies = policy.putArray("denies");
    if (firing) {
      for (SloVerdict v : verdicts) {
        denies
            .addObject()
            .put("rule_id", v.getRuleId())
            .put("severity", "error")
            .put("reason", v.getReason());
      }
    }
    alert
        .putArray("artifacts")
        .addObject()
        .put("type", "telemetry_healthcheck_report")
        .put("ref", "kafka://" + healthTopic + "/" + healthKey);
    alert.putObject("privacy").put("classification", "internal").put("contains_pii", false);
    alert
        .putObject("correlation")
        .put("correlation_id", alertId(check.getScope(), rules, check.getWindowEnd(), firing));
    PayloadSignatures.sign(alert, signing.privateKey(), signing.keyId());
    return alert;
  }

  private static String message(List<String> rules, boolean firing) {
    List<String> what = rules.stream().map(WpeAlerts::describe).toList();
    return (firing ? "Telemetry health check failed: " : "Telemetry health check recovered: ")
        + String.join(", ", what);
  }

  private static String describe(String rule) {
    HealthRuleId known = HealthRuleId.byId(rule);
    return known == null ? rule : known.problem();
  }
}
