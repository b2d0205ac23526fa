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
 */
public record AppConfig(Topics topics, Duration dedupRetention, ValidatorOptions validator) {

  /** Contract v2 defaults: the standard topics, 24 h de-duplication, default validator options. */
  public static AppConfig defaults() {
    return new AppConfig(Topics.DEFAULTS, Duration.ofHours(24), ValidatorOptions.defaults());
  }

  public AppConfig {
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(dedupRetention, "dedup.retention");
    Objects.requireNonNull(validator, "validator");
    if (dedupRetention.isNegative() || dedupRetention.isZero()) {
      throw new IllegalArgumentException("dedup.retention must be positive, was " + dedupRetention);
    }
  }

  public AppConfig withValidator(ValidatorOptions options) {
    return new AppConfig(topics, dedupRetention, options);
  }
}
