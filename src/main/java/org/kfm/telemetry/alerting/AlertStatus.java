package org.kfm.telemetry.alerting;

/**
 * The alert state of one (scope, rule): {@code breached} or not, since which window end (epoch ms),
 * the id of the alert that announced it (null before the first), and the end of the newest window
 * judged (epoch ms; null in states written before it was kept), so that a revision of an older
 * window never moves the state.
 */
public record AlertStatus(boolean breached, long since, String alertId, Long judged) {

  /**
   * Whether a health check of the window ending at {@code end} is older than the newest one judged.
   */
  boolean isOlderThanJudged(long end) {
    return judged != null && end < judged;
  }

  /** This state, having judged the window ending at {@code end}. */
  AlertStatus judging(long end) {
    return new AlertStatus(breached, since, alertId, judged == null ? end : Math.max(judged, end));
  }
}
