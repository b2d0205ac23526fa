package org.kfm.telemetry.health;

/** The rule ids of the health checks' SLOs. */
public final class RuleIds {

  public static final String TRACE = "KFM-TELEM-TRACE-001";
  public static final String ENERGY = "KFM-TELEM-ENERGY-001";
  public static final String SILENCE = "KFM-TELEM-SILENCE-001";

  private RuleIds() {
  }
}
