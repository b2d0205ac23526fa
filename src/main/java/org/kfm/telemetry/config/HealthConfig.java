package org.kfm.telemetry.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Health checks and alerts: rolling windows, SLOs (with per-pipeline overrides by exact name or
 * glob), the minimum number of checked runs for a verdict, the silence gap, and alert signing.
 *
 * @param enabled whether the topology computes health checks ({@code health.enabled})
 * @param window length of the rolling window ({@code health.window})
 * @param evaluationInterval how often windows are evaluated; window ends are aligned to it
 *     ({@code health.evaluation-interval})
 * @param grace how late a run's events may arrive and still count ({@code health.grace})
 * @param silenceGap how long a scope that had runs may check none before KFM-TELEM-SILENCE-001
 *     ({@code health.silence-gap})
 * @param slo the SLOs of every scope without an override ({@code health.slo.*})
 * @param overrides per-pipeline SLOs, keyed by exact pipeline name or glob ({@code *}, {@code ?});
 *     an exact name wins, else the longest matching glob ({@code health.slo.overrides})
 * @param minRuns checked runs below which there is no verdict ({@code health.min-runs})
 * @param repartitionTopic the topic that re-keys run outcomes by scope ({@code topics.health-repartition})
 * @param alertsEnabled whether alerts are produced ({@code health.alerts.enabled}); needs {@code signing}
 * @param signing the alert signing key, or null
 * @param alertSource the CloudEvents {@code ce_source} of alerts ({@code health.alerts.source})
 */
public record HealthConfig(boolean enabled, Duration window, Duration evaluationInterval, Duration grace,
                           Duration silenceGap, Slo slo, Map<String, Slo> overrides, int minRuns,
                           String repartitionTopic, boolean alertsEnabled, AlertSigning signing,
                           String alertSource) {

  public static final String SIGNING_KEY = "health.alerts.signing-key";
  public static final String KEY_ID = "health.alerts.key-id";
  public static final String ALERTS_ENABLED = "health.alerts.enabled";
  public static final String DEFAULT_REPARTITION_TOPIC = "kfm-telemetry-streams-health-by-scope-repartition";

  /** 24 h windows every hour, 1 h grace, 6 h silence gap, the seed's SLOs, 10 runs minimum, no alerts. */
  public static HealthConfig defaults() {
    return new HealthConfig(true, Duration.ofHours(24), Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(6),
        Slo.DEFAULTS, Map.of(), 10, DEFAULT_REPARTITION_TOPIC, false, null, "/kfm/telemetry-streams/health");
  }

  public HealthConfig {
    positive(window, "health.window");
    positive(evaluationInterval, "health.evaluation-interval");
    positive(silenceGap, "health.silence-gap");
    Objects.requireNonNull(grace, "health.grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("health.grace must not be negative, was " + grace);
    }
    Objects.requireNonNull(slo, "health.slo");
    overrides = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(overrides, "health.slo.overrides")));
    if (minRuns < 0) {
      throw new IllegalArgumentException("health.min-runs must not be negative, was " + minRuns);
    }
    Objects.requireNonNull(repartitionTopic, "topics.health-repartition");
    Objects.requireNonNull(alertSource, "health.alerts.source");
  }

  /** With alerts enabled and signed by {@code key}. */
  public HealthConfig withSigning(AlertSigning key) {
    return new HealthConfig(enabled, window, evaluationInterval, grace, silenceGap, slo, overrides, minRuns,
        repartitionTopic, true, key, alertSource);
  }

  /** With other windowing: window length, evaluation interval, grace, silence gap. */
  public HealthConfig withWindows(Duration newWindow, Duration interval, Duration newGrace, Duration gap) {
    return new HealthConfig(enabled, newWindow, interval, newGrace, gap, slo, overrides, minRuns, repartitionTopic,
        alertsEnabled, signing, alertSource);
  }

  /** With other SLOs, overrides and minimum run count. */
  public HealthConfig withSlos(Slo newSlo, Map<String, Slo> newOverrides, int newMinRuns) {
    return new HealthConfig(enabled, window, evaluationInterval, grace, silenceGap, newSlo, newOverrides, newMinRuns,
        repartitionTopic, alertsEnabled, signing, alertSource);
  }

  /** With alerts switched on or off (on needs a signing key when the topology is built). */
  public HealthConfig withAlertsEnabled(boolean on) {
    return new HealthConfig(enabled, window, evaluationInterval, grace, silenceGap, slo, overrides, minRuns,
        repartitionTopic, on, signing, alertSource);
  }

  private static void positive(Duration d, String key) {
    Objects.requireNonNull(d, key);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, was " + d);
    }
  }
}
