package org.kfm.telemetry.config;

/**
 * Service-level objectives of one scope: the minimum trace and energy-report coverage, in percent.
 *
 * @param tracePct minimum share of checked runs carrying OpenTelemetry trace context
 * @param energyPct minimum share of checked runs reporting energy
 */
public record Slo(double tracePct, double energyPct) {

  /** The seed's SLOs: trace ≥ 95.0 %, energy ≥ 90.0 %. */
  public static final Slo DEFAULTS = new Slo(95.0, 90.0);

  public Slo {
    if (!(tracePct >= 0 && tracePct <= 100)) {
      throw new IllegalArgumentException(
          "health.slo.trace-pct must be within 0..100, was " + tracePct);
    }
    if (!(energyPct >= 0 && energyPct <= 100)) {
      throw new IllegalArgumentException(
          "health.slo.energy-pct must be within 0..100, was " + energyPct);
    }
  }
}
