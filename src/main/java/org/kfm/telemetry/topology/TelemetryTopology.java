package org.kfm.telemetry.topology;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.routing.Deduplicator;
import org.kfm.telemetry.routing.Routed;
import org.kfm.telemetry.routing.RoutingMetrics;
import org.kfm.telemetry.routing.ValidateProcessor;
import org.kfm.telemetry.validation.Validator;

/**
 * The service's Kafka Streams topology, built from configuration and serdes and nothing else:
 * {@code raw-source} (bytes) → {@code validate-route} → {@code route-dlq} → {@code dlq-value} →
 * {@code dlq-sink} (bytes), or {@code route-valid} → {@code accepted-value} → the Streams-managed
 * topic {@code <application.id>-dedup-by-key-repartition} (keyed by the de-duplication key, so
 * every copy of an event meets in one task) → {@code dedup} (with {@code dedup-store}) → {@code
 * valid-sink} (Avro TelemetryEvent, keyed by the join key); and, when health checks are enabled,
 * the {@link HealthTopology} reading the valid events. Records keep the timestamp the raw record
 * had. Every node and store is named; the names are part of the upgrade contract.
 */
public final class TelemetryTopology {

  public static final String SOURCE = "raw-source";
  public static final String ROUTER = "validate-route";
  public static final String ROUTE = "route-";

  /** The split's branch of dead letters ({@code ROUTE} + "dlq"). */
  public static final String DEAD_LETTERS = "route-dlq";

  /** The split's branch of accepted events ({@code ROUTE} + "valid"). */
  public static final String ACCEPTED = "route-valid";

  public static final String DLQ_VALUE = "dlq-value";
  public static final String ACCEPTED_VALUE = "accepted-value";
  public static final String DLQ_SINK = "dlq-sink";

  /**
   * Names the repartition topic {@code <application.id>-dedup-by-key-repartition} and its nodes.
   */
  public static final String BY_DEDUP_KEY = "dedup-by-key";

  public static final String DEDUP = "dedup";
  public static final String DEDUP_STORE = "dedup-store";
  public static final String VALID_SINK = "valid-sink";

  /**
   * The de-duplication store's changelog is stamped by the broker when written ({@code
   * LogAppendTime}): a key is kept from when its copy arrived, and its changelog record must be
   * kept as long. Stamped with the raw record's time (a replay or backfill with its original
   * timestamps), a segment of old-stamped keys would be deleted by the changelog's retention
   * (dedup.retention + 1 day, by record time) while the store still holds them, and a restore would
   * forget them. The store keeps each key's time in the changelog key, not the record's timestamp,
   * so restoring is unchanged.
   */
  static final Map<String, String> DEDUP_CHANGELOG_CONFIGS =
      Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");

  private TelemetryTopology() {}

  /**
   * The name Kafka Streams gives the de-duplication repartition topic of application {@code
   * applicationId}.
   */
  public static String dedupRepartitionTopic(String applicationId) {
    return applicationId + "-" + BY_DEDUP_KEY + "-repartition";
  }

  /**
   * The topics the topology of {@code config} reads that Kafka Streams does not make itself: the
   * raw topic, and with the health checks the valid topic and the health-by-scope topic.
   */
  public static List<String> sourceTopics(AppConfig config) {
    return config.health().enabled()
        ? List.of(
            config.topics().raw(), config.topics().valid(), config.health().repartitionTopic())
        : List.of(config.topics().raw());
  }

  /**
   * The whole topology: validation, de-duplication and routing, plus health checks and alerts when
   * {@code config.health().enabled()}.
   *
   * @param config topics, de-duplication retention, validator options, health checks
   * @param serdes every serde of the topology (see {@link TelemetrySerdes})
   * @param meters where the routing, health and alert meters go
   * @param serviceVersion written into dead-letter headers
   * @throws IllegalArgumentException when alerts are enabled without a signing key
   */
  public static Topology build(
      AppConfig config, TelemetrySerdes serdes, MeterRegistry meters, String serviceVersion) {
    StreamsBuilder builder = new StreamsBuilder();
    addRouting(builder, config, serdes, meters, serviceVersion);
    if (config.health().enabled()) {
      HealthTopology.addTo(builder, config, serdes, meters);
    }
    return builder.build();
  }

  private static void addRouting(
      StreamsBuilder builder,
      AppConfig config,
      TelemetrySerdes serdes,
      MeterRegistry meters,
      String serviceVersion) {
    Validator validator = new Validator(config.validator());
    RoutingMetrics metrics = new RoutingMetrics(meters);
    String valid = config.topics().valid();
    builder.addStateStore(
        Stores.windowStoreBuilder(
                Stores.persistentWindowStore(
                    DEDUP_STORE, config.dedupRetention(), config.dedupRetention(), false),
                Serdes.String(),
                Serdes.Long())
            .withLoggingEnabled(DEDUP_CHANGELOG_CONFIGS));
    KStream<byte[], Routed> routed =
        builder.stream(
                config.topics().raw(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE))
            .process(
                () ->
                    new ValidateProcessor(
                        validator, serdes.eventEncoder(), valid, metrics, serviceVersion),
                Named.as(ROUTER));
    routed
        .split(Named.as(ROUTE))
        .branch(
            (key, value) -> value instanceof Routed.DeadLetter,
            Branched.withConsumer(
                deadLetters ->
                    deadLetters
                        .mapValues(
                            value -> ((Routed.DeadLetter) value).value(), Named.as(DLQ_VALUE))
                        .to(
                            config.topics().dlq(),
                            Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                                .withName(DLQ_SINK)),
                "dlq"))
        .defaultBranch(
            Branched.withConsumer(
                accepted ->
                    accepted
                        .mapValues(value -> (Routed.Accepted) value, Named.as(ACCEPTED_VALUE))
                        .repartition(
                            Repartitioned.with(Serdes.ByteArray(), serdes.accepted())
                                .withName(BY_DEDUP_KEY))
                        .process(
                            () -> new Deduplicator(DEDUP_STORE, config.dedupRetention(), metrics),
                            Named.as(DEDUP),
                            DEDUP_STORE)
                        .to(
                            valid,
                            Produced.with(Serdes.String(), Serdes.ByteArray())
                                .withName(VALID_SINK)),
                "valid"));
  }
}
