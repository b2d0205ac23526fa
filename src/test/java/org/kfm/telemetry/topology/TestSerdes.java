package org.kfm.telemetry.topology;

import java.util.Map;

/**
 * The topology's serdes for tests: {@link TelemetrySerdes} on an in-memory ({@code mock://})
 * registry.
 */
final class TestSerdes {

  private TestSerdes() {}

  /** Every serde of the topology, the Avro ones registered in their own {@code mock://scope}. */
  static TelemetrySerdes of(String scope) {
    return TelemetrySerdes.of(
        Map.of("schema.registry.url", "mock://" + scope, "specific.avro.reader", true));
  }
}
