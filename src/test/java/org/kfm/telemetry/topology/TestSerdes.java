package org.kfm.telemetry.topology;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.serde.SpecificAvroSerde;

/** Serdes for topology tests: the service's own Avro serde on an in-memory ({@code mock://}) registry. */
final class TestSerdes {

  private TestSerdes() {
  }

  /** A value serde for TelemetryEvent registered in its own {@code mock://scope}. */
  static Serde<TelemetryEvent> telemetryEvents(String scope) {
    SpecificAvroSerde<TelemetryEvent> serde = new SpecificAvroSerde<>();
    serde.configure(Map.of("schema.registry.url", "mock://" + scope, "specific.avro.reader", true), false);
    return serde;
  }

  /** A value serde for HealthCheck registered in its own {@code mock://scope}. */
  static Serde<HealthCheck> healthChecks(String scope) {
    SpecificAvroSerde<HealthCheck> serde = new SpecificAvroSerde<>();
    serde.configure(Map.of("schema.registry.url", "mock://" + scope, "specific.avro.reader", true), false);
    return serde;
  }
}
