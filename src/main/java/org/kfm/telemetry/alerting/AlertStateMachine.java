package org.kfm.telemetry.alerting;

import org.kfm.telemetry.avro.VerdictStatus;

/**
 * OK ↔ BREACHED per (scope, rule): a failing verdict in OK fires, a passing verdict in BREACHED
 * resolves, anything else (including no verdict) holds the state and emits nothing.
 */
public final class AlertStateMachine {

  /** What a verdict does to the state. */
  public enum Transition {
    FIRE,
    RESOLVE,
    HOLD
  }

  private AlertStateMachine() {}

  /** The transition from {@code current} (null = never alerted = OK) on {@code verdict}. */
  public static Transition next(AlertStatus current, VerdictStatus verdict) {
    boolean breached = current != null && current.breached();
    if (verdict == VerdictStatus.FAIL && !breached) {
      return Transition.FIRE;
    }
    if (verdict == VerdictStatus.PASS && breached) {
      return Transition.RESOLVE;
    }
    return Transition.HOLD;
  }
}
