package org.kfm.telemetry.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.kfm.telemetry.validation.ValidatorOptions;

/**
 * The key table of the service configuration: every typed key with its default, the pass-through
 * sections, and the keys that are refused with a reason because they name no setting.
 */
public final class ConfigKeys {

  /** The pass-through section of Kafka client and Streams properties. */
  public static final String KAFKA = "kafka.";

  /** The pass-through section of serializer and schema registry properties. */
  public static final String SERDE = "serde.";

  /** Per-pipeline SLOs: {@code health.slo.overrides.<pipeline or glob>.trace-pct / energy-pct}. */
  public static final String OVERRIDES = "health.slo.overrides.";

  public static final String ALERT_PUBLIC_KEY = "health.alerts.public-key";
  public static final String TRUSTED_KEYS = "validator.trusted-keys";

  /** Every typed key with its default ("" = none). The example file documents the same keys. */
  public static final Map<String, String> DEFAULTS = defaults();

  /**
   * Keys that people may look for but that name values the service derives, with what they are
   * derived from.
   */
  private static final Map<String, String> DERIVED =
      Map.of(
          "health.alerts.key-id",
          "the alert key id is derived from "
              + HealthConfig.SIGNING_KEY
              + " (kfm-ed25519- + the first 16 hex digits "
              + "of the SHA-256 of its public key) and cannot be set; remove it");

  private ConfigKeys() {}

  /**
   * Why {@code key} is refused: an unknown setting and, when it names a derived value, what that
   * value is derived from; otherwise {@code hint}, where the keys are listed.
   */
  static String unknown(String key, String hint) {
    String derived = key == null ? null : DERIVED.get(key);
    return derived == null ? "unknown setting (" + hint + ")" : "unknown setting: " + derived;
  }

  /** The keys that name derived values (see {@link #unknown}). */
  static Iterable<String> derivedKeys() {
    return DERIVED.keySet();
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    Topics t = Topics.DEFAULTS;
    d.put("topics.raw", t.raw());
    d.put("topics.valid", t.valid());
    d.put("topics.dlq", t.dlq());
    d.put("topics.health", t.health());
    d.put("topics.alerts", t.alerts());
    d.put("topics.health-repartition", HealthConfig.DEFAULT_REPARTITION_TOPIC);
    AppConfig app = AppConfig.defaults();
    d.put("dedup.retention", Durations.format(app.dedupRetention()));
    ValidatorOptions v = app.validator();
    d.put("validator.max-record-bytes", String.valueOf(v.limits().maxRecordBytes()));
    d.put("validator.max-depth", String.valueOf(v.limits().maxDepth()));
    d.put("validator.max-string-length", String.valueOf(v.limits().maxStringLength()));
    d.put("validator.max-name-length", String.valueOf(v.limits().maxNameLength()));
    d.put("validator.max-number-length", String.valueOf(v.limits().maxNumberLength()));
    d.put("validator.max-future-skew", Durations.format(v.maxFutureSkew()));
    d.put("validator.geo-max-decimals", String.valueOf(v.geoMaxDecimals()));
    d.put(TRUSTED_KEYS, "");
    HealthConfig h = app.health();
    d.put("health.enabled", String.valueOf(h.enabled()));
    d.put("health.window", Durations.format(h.window()));
    d.put("health.evaluation-interval", Durations.format(h.evaluationInterval()));
    d.put("health.grace", Durations.format(h.grace()));
    d.put("health.allowed-lateness", Durations.format(h.allowedLateness()));
    d.put("health.max-clock-skew", Durations.format(h.maxClockSkew()));
    d.put("health.silence-gap", Durations.format(h.silenceGap()));
    d.put("health.min-runs", String.valueOf(h.minRuns()));
    d.put("health.slo.trace-pct", String.valueOf(h.slo().tracePct()));
    d.put("health.slo.energy-pct", String.valueOf(h.slo().energyPct()));
    d.put(HealthConfig.ALERTS_ENABLED, "");
    d.put(HealthConfig.SIGNING_KEY, "");
    d.put(ALERT_PUBLIC_KEY, "");
    d.put("health.alerts.source", h.alertSource());
    d.put("http.port", "8080");
    return Map.copyOf(d);
  }
}
