package org.kfm.telemetry.alerting;

/**
 * The alert state of one (scope, rule): {@code breached} or not, since which window end (epoch ms),
 * and the id of the alert that announced it.
 */
public record AlertStatus(boolean breached, long since, String alertId) {
}
