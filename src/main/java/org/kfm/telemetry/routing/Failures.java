package org.kfm.telemetry.routing;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a failure of the infrastructure (a schema registry or broker that cannot be reached, or
 * refuses our credentials) from a failure of one record. The first must stop the task so the record
 * is retried; only the second may send the record to the dead-letter topic.
 */
public final class Failures {

  private Failures() {}

  /**
   * True when anything in the cause chain is retriable or an authentication/authorization refusal.
   */
  public static boolean isInfrastructure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof RetriableException
          || t instanceof AuthenticationException
          || t instanceof AuthorizationException) {
        return true;
      }
    }
    return false;
  }
}
