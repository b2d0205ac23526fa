package org.kfm.telemetry.topology;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.routing.DeadLetterDeserializationHandler;
import org.kfm.telemetry.routing.DeadLetterProcessingHandler;
import org.kfm.telemetry.routing.DeadLetterProductionHandler;
import org.kfm.telemetry.routing.DeadLetterWriter;

/**
 * The Kafka Streams settings the topology relies on: exactly-once v2, and the exception handlers
 * that dead-letter a failing record (and fail on unreachable infrastructure) instead of stopping.
 * Callers add connection settings (bootstrap servers, security) on top.
 */
public final class StreamsProperties {

  /** Default application id (also the consumer group and the prefix of internal topics). */
  public static final String APPLICATION_ID = "kfm-telemetry-streams";

  private StreamsProperties() {}

  public static Properties of(AppConfig config, String serviceVersion) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // One stream thread per processor: the tasks (4 sub-topologies x the partitions) spread over
    // them; a user's kafka.num.stream.threads wins.
    props.put(
        StreamsConfig.NUM_STREAM_THREADS_CONFIG,
        String.valueOf(Runtime.getRuntime().availableProcessors()));
    // Every task of this topology reads exactly one partition, so task idling (which waits for
    // the other input partitions of a join or merge) has nothing to order; disabled, Kafka
    // Streams also skips the per-loop lag bookkeeping it formats for each empty partition (5 % of
    // the stream thread's CPU when measured with kfm bench).
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProcessingHandler.class.getName());
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class.getName());
    props.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProductionHandler.class.getName());
    // The same handler for global state processing; the default from Kafka 5.0 (the constant is
    // deprecated).
    String globalHandler = "processing.exception.handler.global.enabled";
    props.put(globalHandler, "true");
    // Kafka Streams 4.4 re-reads its settings from the main consumer's (which leave this one out)
    // when it configures the partition assignor, and warns there that the handler is off. Given to
    // the main consumer too, the warning goes (the consumer itself ignores the setting).
    props.put(StreamsConfig.mainConsumerPrefix(globalHandler), "true");
    // Records keep the time their raw record reached Kafka, which the broker already bounded
    // (Kafka's default: at most 1 h ahead of its clock); the health stores' changelogs carry event
    // times clamped to that time plus health.max-clock-skew. The internal topics Streams creates
    // accept exactly that much.
    props.put(
        StreamsConfig.topicPrefix("message.timestamp.after.max.ms"),
        String.valueOf(Duration.ofHours(1).plus(config.health().maxClockSkew()).toMillis()));
    // A dead letter is its raw record (up to the raw topic's 1 MiB) plus the headers saying why:
    // topics.yaml gives the dead-letter topic 2 MiB, and the producer sends up to that (what each
    // topic takes bounds each record: RecordLimit)
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(2 * 1024 * 1024));
    props.put(DeadLetterWriter.DLQ_TOPIC_CONFIG, config.topics().dlq());
    props.put(DeadLetterWriter.SERVICE_VERSION_CONFIG, serviceVersion);
    return props;
  }
}
