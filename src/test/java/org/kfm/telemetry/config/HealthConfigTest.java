package org.kfm.telemetry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Health-check defaults are the seed's, and a bad setting is refused with its key's name. */
class HealthConfigTest {

  @Test
  void shouldDefaultToTheSeedsSlosAndTheIssuesWindows() {
    HealthConfig config = HealthConfig.defaults();

    assertThat(config.window()).isEqualTo(Duration.ofHours(24));
    assertThat(config.evaluationInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(config.grace()).isEqualTo(Duration.ofHours(1));
    assertThat(config.allowedLateness()).isEqualTo(Duration.ofHours(6));
    assertThat(config.maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.silenceGap()).isEqualTo(Duration.ofHours(6));
    assertThat(config.slo()).isEqualTo(new Slo(95.0, 90.0));
    assertThat(config.minRuns()).isEqualTo(10);
    assertThat(config.alertsEnabled()).isFalse();
    assertThat(config.signing()).isNull();
    assertThat(config.repartitionTopic())
        .isEqualTo("kfm-telemetry-streams-health-by-scope-repartition");
  }

  @Test
  void shouldNameTheKeyOfABadSetting() {
    HealthConfig config = HealthConfig.defaults();

    assertThatThrownBy(
            () ->
                config.withWindows(
                    Duration.ZERO, Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(6)))
        .hasMessageContaining("health.window");
    assertThatThrownBy(
            () ->
                config.withWindows(
                    Duration.ofHours(24),
                    Duration.ofHours(1),
                    Duration.ofHours(-1),
                    Duration.ofHours(6)))
        .hasMessageContaining("health.grace");
    assertThatThrownBy(
            () ->
                config.withWindows(
                    Duration.ofMinutes(90),
                    Duration.ofHours(1),
                    Duration.ofHours(1),
                    Duration.ofHours(6)))
        .hasMessageContaining("health.window")
        .hasMessageContaining("health.evaluation-interval");
    assertThatThrownBy(() -> config.withLateness(Duration.ofHours(-1), Duration.ofMinutes(5)))
        .hasMessageContaining("health.allowed-lateness");
    assertThatThrownBy(() -> config.withLateness(Duration.ofHours(6), Duration.ofMinutes(-5)))
        .hasMessageContaining("health.max-clock-skew");
    assertThatThrownBy(() -> config.withSlos(Slo.DEFAULTS, Map.of(), -1))
        .hasMessageContaining("health.min-runs");
    assertThatThrownBy(() -> new Slo(101, 90)).hasMessageContaining("health.slo.trace-pct");
    assertThatThrownBy(() -> new Slo(95, Double.NaN)).hasMessageContaining("health.slo.energy-pct");
  }
}
