package org.kfm.telemetry.topology;

import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.routing.DeadLetterDeserializationHandler;
import org.kfm.telemetry.routing.DeadLetterProcessingHandler;
import org.kfm.telemetry.routing.DeadLetterWriter;
import org.kfm.telemetry.routing.InfrastructureAwareProductionHandler;

/**
 * The Kafka Streams settings the topology relies on: exactly-once v2, and the exception handlers
 * that dead-letter a failing record (and fail on unreachable infrastructure) instead of stopping.
 * Callers add connection settings (bootstrap servers, security) on top.
 */
public final class StreamsProperties {

  /** Default application id (also the consumer group and the prefix of internal topics). */
  public static final String APPLICATION_ID = "kfm-telemetry-streams";

  private StreamsProperties() {
  }

  public static Properties of(AppConfig config, String serviceVersion) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class.getName());
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        InfrastructureAwareProductionHandler.class.getName());
    // The same handler for global state processing; the default from Kafka 5.0 (the constant is deprecated).
    props.put("processing.exception.handler.global.enabled", "true");
    // Valid events (and the health stores' changelogs) carry the payload's ts, which the contract accepts up to
    // max-future-skew ahead; Kafka 4 brokers refuse more than 1 h ahead by default. This reaches the internal
    // topics Streams creates (changelogs, repartition); topics.yaml sets the same on the topics it declares.
    props.put(StreamsConfig.topicPrefix("message.timestamp.after.max.ms"),
        String.valueOf(config.validator().maxFutureSkew().plusHours(1).toMillis()));
    props.put(DeadLetterWriter.DLQ_TOPIC_CONFIG, config.topics().dlq());
    props.put(DeadLetterWriter.SERVICE_VERSION_CONFIG, serviceVersion);
    return props;
  }
}
