package org.kfm.telemetry.config;

import java.time.Duration;
import java.util.Objects;
import org.kfm.telemetry.validation.ValidatorOptions;

/**
 * The service's one typed configuration, with its defaults in one place.
 *
 * @param topics topic names
 * @param dedupRetention how long an event id (or payload digest) is remembered to drop duplicates
 * @param validator how records are judged
 * @param health health checks and alerts
 */
public record AppConfig(
    Topics topics, Duration dedupRetention, ValidatorOptions validator, HealthConfig health) {

  /** Contract v2 defaults: the standard topics, 24 h de-duplication, default validator options. */
  public static AppConfig defaults() {
    return new AppConfig(
        Topics.DEFAULTS,
        Duration.ofHours(24),
        ValidatorOptions.defaults(),
        HealthConfig.defaults());
  }

  public AppConfig {
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(dedupRetention, "dedup.retention");
    Objects.requireNonNull(validator, "validator");
    Objects.requireNonNull(health, "health");
    if (dedupRetention.isNegative() || dedupRetention.isZero()) {
      throw new IllegalArgumentException("dedup.retention must be positive, was " + dedupRetention);
    }
  }

  /** With other topic names. */
  public AppConfig withTopicsFor(Topics newTopics) {
    return new AppConfig(newTopics, dedupRetention, validator, health);
  }

  public AppConfig withValidator(ValidatorOptions options) {
    return new AppConfig(topics, dedupRetention, options, health);
  }

  /** Validation and routing only: health checks off. */
  public AppConfig withoutHealth() {
    return withHealth(health.disabled());
  }

  public AppConfig withHealth(HealthConfig newHealth) {
    return new AppConfig(topics, dedupRetention, validator, newHealth);
  }
}
