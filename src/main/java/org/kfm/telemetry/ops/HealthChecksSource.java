package org.kfm.telemetry.ops;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.kfm.telemetry.avro.HealthCheck;

/** The health checks this instance knows: the latest of every scope, and recent ones for trends. */
@FunctionalInterface
public interface HealthChecksSource {

  List<HealthCheck> latest();

  /**
   * The evaluations of {@code scopes} (every scope when empty) whose window ended at or after
   * {@code from}, by scope, oldest first; none where no history is kept.
   */
  default Map<String, List<HealthCheck>> history(Collection<String> scopes, Instant from) {
    return Map.of();
  }
}
