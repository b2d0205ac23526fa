package org.kfm.telemetry.validation;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.kfm.telemetry.contract.Limits;

/**
 * How a {@link Validator} judges records.
 *
 * @param limits parsing bounds
 * @param clock the clock "too far in the future" is measured against
 * @param maxFutureSkew how far ahead of the clock a {@code ts} may be
 * @param geoMaxDecimals the most decimal places a coordinate on a restricted/sensitive event may
 *     have
 * @param trustedKeys public keys whose signatures on incoming alerts are verified
 */
public record ValidatorOptions(
    Limits limits,
    Clock clock,
    Duration maxFutureSkew,
    int geoMaxDecimals,
    TrustedKeys trustedKeys) {

  /**
   * Contract v2's defaults: {@link Limits#DEFAULT}, system UTC clock, 24 h skew, 2 decimals, no
   * trusted keys.
   */
  public static ValidatorOptions defaults() {
    return new ValidatorOptions(
        Limits.DEFAULT, Clock.systemUTC(), Duration.ofHours(24), 2, TrustedKeys.none());
  }

  public ValidatorOptions {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
    Objects.requireNonNull(trustedKeys, "trustedKeys");
    if (maxFutureSkew.isNegative()) {
      throw new IllegalArgumentException("maxFutureSkew must not be negative");
    }
    if (geoMaxDecimals < 0) {
      throw new IllegalArgumentException("geoMaxDecimals must not be negative");
    }
  }

  public ValidatorOptions withClock(Clock newClock) {
    return new ValidatorOptions(limits, newClock, maxFutureSkew, geoMaxDecimals, trustedKeys);
  }

  public ValidatorOptions withTrustedKeys(TrustedKeys keys) {
    return new ValidatorOptions(limits, clock, maxFutureSkew, geoMaxDecimals, keys);
  }

  public ValidatorOptions withLimits(Limits newLimits) {
    return new ValidatorOptions(newLimits, clock, maxFutureSkew, geoMaxDecimals, trustedKeys);
  }
}
