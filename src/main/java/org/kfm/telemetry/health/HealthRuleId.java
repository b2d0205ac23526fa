package org.kfm.telemetry.health;

/**
 * Every rule of the health checks: its stable id (the form of the contract's {@code RuleId}s) and
 * the problem a failing verdict announces. Ids are never reused or renumbered.
 */
public enum HealthRuleId {
  TRACE("KFM-TELEM-TRACE-001", "missing trace context"),
  ENERGY("KFM-TELEM-ENERGY-001", "missing energy report"),
  SILENCE("KFM-TELEM-SILENCE-001", "no runs checked");

  private final String id;
  private final String problem;

  HealthRuleId(String id, String problem) {
    this.id = id;
    this.problem = problem;
  }

  /** The id, e.g. {@code KFM-TELEM-TRACE-001}. */
  public String id() {
    return id;
  }

  /** What a failing verdict of this rule means, e.g. "missing trace context". */
  public String problem() {
    return problem;
  }

  /** The rule with {@code id}, or null. */
  public static HealthRuleId byId(String id) {
    for (HealthRuleId rule : values()) {
      if (rule.id.equals(id)) {
        return rule;
      }
    }
    return null;
  }
}
