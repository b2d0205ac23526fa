package org.kfm.telemetry.topology;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.routing.RoutingMetrics;
import org.kfm.telemetry.routing.RoutingProcessor;
import org.kfm.telemetry.validation.Validator;

/**
 * The service's Kafka Streams topology, built from configuration and serdes and nothing else:
 * {@code raw-source} (bytes) → {@code validate-route} (with {@code dedup-store}) →
 * {@code valid-sink} (Avro TelemetryEvent) / {@code dlq-sink} (bytes), and, when health checks are
 * enabled, the {@link HealthTopology} reading the valid events. Every node and store is named; the
 * names are part of the upgrade contract.
 */
public final class TelemetryTopology {

  public static final String SOURCE = "raw-source";
  public static final String ROUTER = "validate-route";
  public static final String DEDUP_STORE = "dedup-store";

  private TelemetryTopology() {
  }

  /**
   * The whole topology: validation and routing, plus health checks and alerts when
   * {@code config.health().enabled()}.
   *
   * @param config topics, de-duplication retention, validator options, health checks
   * @param events the serde of {@code kfm.telemetry.valid} values (Confluent-wire-format Avro)
   * @param healthChecks the serde of {@code kfm.telemetry.health} values (Confluent-wire-format Avro)
   * @param meters where the routing, health and alert meters go
   * @param serviceVersion written into dead-letter headers
   * @throws IllegalArgumentException when alerts are enabled without a signing key
   */
  public static Topology build(AppConfig config, Serde<TelemetryEvent> events, Serde<HealthCheck> healthChecks,
                               MeterRegistry meters, String serviceVersion) {
    Topology topology = build(config, events, meters, serviceVersion);
    if (config.health().enabled()) {
      HealthTopology.addTo(topology, config, events, healthChecks, meters);
    }
    return topology;
  }

  /**
   * Validation and routing only (no health checks).
   *
   * @param config topics, de-duplication retention, validator options
   * @param events the serde of {@code kfm.telemetry.valid} values (Confluent-wire-format Avro)
   * @param meters where the routing counters go
   * @param serviceVersion written into dead-letter headers
   */
  public static Topology build(AppConfig config, Serde<TelemetryEvent> events, MeterRegistry meters,
                               String serviceVersion) {
    Validator validator = new Validator(config.validator());
    RoutingMetrics metrics = new RoutingMetrics(meters);
    Topology topology = new Topology();
    topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.topics().raw());
    topology.addProcessor(ROUTER, () -> new RoutingProcessor(validator, DEDUP_STORE, config.dedupRetention(), metrics,
        serviceVersion), SOURCE);
    topology.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(DEDUP_STORE, config.dedupRetention(), config.dedupRetention(), false),
        Serdes.String(), Serdes.Long()), ROUTER);
    topology.addSink(RoutingProcessor.VALID_CHILD, config.topics().valid(), new StringSerializer(), events.serializer(),
        ROUTER);
    topology.addSink(RoutingProcessor.DLQ_CHILD, config.topics().dlq(), new ByteArraySerializer(),
        new ByteArraySerializer(), ROUTER);
    return topology;
  }
}
