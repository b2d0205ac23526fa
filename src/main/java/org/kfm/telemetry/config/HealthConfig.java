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
 * @param evaluationInterval how often windows are evaluated; window ends are aligned to it ({@code
 *     health.evaluation-interval})
 * @param grace how long after its end a window is first evaluated, so that most stragglers are in
 *     its first health check ({@code health.grace})
 * @param allowedLateness how far behind stream time an event may be and still update its run; the
 *     windows it changes are evaluated again as revisions ({@code health.allowed-lateness})
 * @param maxClockSkew how far ahead of the time its record reached Kafka an event's {@code ts} is
 *     believed; beyond it the event counts at that time plus this skew ({@code
 *     health.max-clock-skew})
 * @param silenceGap how long a scope that had runs may check none before KFM-TELEM-SILENCE-001
 *     ({@code health.silence-gap})
 * @param slo the SLOs of every scope without an override ({@code health.slo.*})
 * @param overrides per-pipeline SLOs, keyed by exact pipeline name or glob ({@code *}, {@code ?});
 *     an exact name wins, else the longest matching glob ({@code health.slo.overrides})
 * @param minRuns checked runs below which there is no verdict ({@code health.min-runs})
 * @param repartitionTopic the topic that re-keys run outcomes by scope ({@code
 *     topics.health-repartition})
 * @param alertsEnabled whether alerts are produced ({@code health.alerts.enabled}); needs {@code
 *     signing}
 * @param signing the alert signing key, or null
 * @param alertSource the CloudEvents {@code ce_source} of alerts ({@code health.alerts.source})
 */
public record HealthConfig(
    boolean enabled,
    Duration window,
    Duration evaluationInterval,
    Duration grace,
    Duration allowedLateness,
    Duration maxClockSkew,
    Duration silenceGap,
    Slo slo,
    Map<String, Slo> overrides,
    int minRuns,
    String repartitionTopic,
    boolean alertsEnabled,
    AlertSigning signing,
    String alertSource) {

  public static final String SIGNING_KEY = "health.alerts.signing-key";
  public static final String ALERTS_ENABLED = "health.alerts.enabled";
  public static final String DEFAULT_REPARTITION_TOPIC =
      "kfm-telemetry-streams-health-by-scope-repartition";

  /**
   * 24 h windows every hour, 1 h grace, 6 h allowed lateness, 5 min clock skew, 6 h silence gap,
   * the seed's SLOs, 10 runs minimum, no alerts.
   */
  public static HealthConfig defaults() {
    return new HealthConfig(
        true,
        Duration.ofHours(24),
        Duration.ofHours(1),
        Duration.ofHours(1),
        Duration.ofHours(6),
        Duration.ofMinutes(5),
        Duration.ofHours(6),
        Slo.DEFAULTS,
        Map.of(),
        10,
        DEFAULT_REPARTITION_TOPIC,
        false,
        null,
        "/kfm/telemetry-streams/health");
  }

  public HealthConfig {
    positive(window, "health.window");
    positive(evaluationInterval, "health.evaluation-interval");
    positive(silenceGap, "health.silence-gap");
    if (window.toMillis() % evaluationInterval.toMillis() != 0) {
      throw new IllegalArgumentException(
          "health.window ("
              + window
              + ") must be a multiple of "
              + "health.evaluation-interval ("
              + evaluationInterval
              + "): windows are made of whole intervals");
    }
    notNegative(grace, "health.grace");
    notNegative(allowedLateness, "health.allowed-lateness");
    notNegative(maxClockSkew, "health.max-clock-skew");
    Objects.requireNonNull(slo, "health.slo");
    overrides =
        Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(overrides, "health.slo.overrides")));
    if (minRuns < 0) {
      throw new IllegalArgumentException("health.min-runs must not be negative, was " + minRuns);
    }
    Objects.requireNonNull(repartitionTopic, "topics.health-repartition");
    Objects.requireNonNull(alertSource, "health.alerts.source");
  }

  /** With alerts enabled and signed by {@code key}. */
  public HealthConfig withSigning(AlertSigning key) {
    return new HealthConfig(
        enabled,
        window,
        evaluationInterval,
        grace,
        allowedLateness,
        maxClockSkew,
        silenceGap,
        slo,
        overrides,
        minRuns,
        repartitionTopic,
        true,
        key,
        alertSource);
  }

  /** With other windowing: window length, evaluation interval, grace, silence gap. */
  public HealthConfig withWindows(
      Duration newWindow, Duration interval, Duration newGrace, Duration gap) {
    return new HealthConfig(
        enabled,
        newWindow,
        interval,
        newGrace,
        allowedLateness,
        maxClockSkew,
        gap,
        slo,
        overrides,
        minRuns,
        repartitionTopic,
        alertsEnabled,
        signing,
        alertSource);
  }

  /** With another allowed lateness and clock skew. */
  public HealthConfig withLateness(Duration lateness, Duration skew) {
    return new HealthConfig(
        enabled,
        window,
        evaluationInterval,
        grace,
        lateness,
        skew,
        silenceGap,
        slo,
        overrides,
        minRuns,
        repartitionTopic,
        alertsEnabled,
        signing,
        alertSource);
  }

  /** With other SLOs, overrides and minimum run count. */
  public HealthConfig withSlos(Slo newSlo, Map<String, Slo> newOverrides, int newMinRuns) {
    return new HealthConfig(
        enabled,
        window,
        evaluationInterval,
        grace,
        allowedLateness,
        maxClockSkew,
        silenceGap,
        newSlo,
        newOverrides,
        newMinRuns,
        repartitionTopic,
        alertsEnabled,
        signing,
        alertSource);
  }

  /** With the health checks switched off: the topology validates and routes only. */
  public HealthConfig disabled() {
    return new HealthConfig(
        false,
        window,
        evaluationInterval,
        grace,
        allowedLateness,
        maxClockSkew,
        silenceGap,
        slo,
        overrides,
        minRuns,
        repartitionTopic,
        false,
        signing,
        alertSource);
  }

  /** With another topic for run changes keyed by scope ({@code topics.health-repartition}). */
  public HealthConfig withRepartitionTopic(String topic) {
    return new HealthConfig(
        enabled,
        window,
        evaluationInterval,
        grace,
        allowedLateness,
        maxClockSkew,
        silenceGap,
        slo,
        overrides,
        minRuns,
        topic,
        alertsEnabled,
        signing,
        alertSource);
  }

  /** With alerts switched on or off (on needs a signing key when the topology is built). */
  public HealthConfig withAlertsEnabled(boolean on) {
    return new HealthConfig(
        enabled,
        window,
        evaluationInterval,
        grace,
        allowedLateness,
        maxClockSkew,
        silenceGap,
        slo,
        overrides,
        minRuns,
        repartitionTopic,
        on,
        signing,
        alertSource);
  }

  /** The longer of the window and the silence gap: how far back one evaluation reads. */
  public Duration span() {
    return window.compareTo(silenceGap) >= 0 ? window : silenceGap;
  }

  private static void notNegative(Duration d, String key) {
    Objects.requireNonNull(d, key);
    if (d.isNegative()) {
      throw new IllegalArgumentException(key + " must not be negative, was " + d);
    }
  }

  private static void positive(Duration d, String key) {
    Objects.requireNonNull(d, key);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, was " + d);
    }
  }
}
