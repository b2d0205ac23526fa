package org.kfm.telemetry.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
    requireDistinct(topics, health.repartitionTopic());
  }

  /**
   * Each topic a topic of its own: a valid topic that is the raw one would feed the service its own
   * Avro output as input, a DLQ that is the valid one would mix dead letters into the events.
   */
  private static void requireDistinct(Topics topics, String healthRepartition) {
    Map<String, String> seen = new LinkedHashMap<>();
    String[][] named = {
      {"topics.raw", topics.raw()},
      {"topics.valid", topics.valid()},
      {"topics.dlq", topics.dlq()},
      {"topics.health", topics.health()},
      {"topics.alerts", topics.alerts()},
      {"topics.health-repartition", healthRepartition}
    };
    for (String[] topic : named) {
      String before = seen.putIfAbsent(topic[1], topic[0]);
      if (before != null) {
        throw new ConfigError(
            topic[0],
            topic[1] + " is also " + before + " (each of the service's topics must be its own)");
      }
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
