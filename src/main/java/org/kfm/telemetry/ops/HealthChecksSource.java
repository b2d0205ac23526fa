package org.kfm.telemetry.ops;

import java.util.List;
import org.kfm.telemetry.avro.HealthCheck;

/** The latest health check of every scope this instance knows. */
@FunctionalInterface
public interface HealthChecksSource {

  List<HealthCheck> latest();
}
