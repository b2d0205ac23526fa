package org.kfm.telemetry.routing;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.kfm.telemetry.validation.Redactor;
import org.kfm.telemetry.validation.Validator;
import org.kfm.telemetry.validation.ValidatorOptions;
import org.kfm.telemetry.validation.Verdict;

/**
 * What the exception handlers share: the dead-letter topic from the Streams configuration ({@value
 * #DLQ_TOPIC_CONFIG}) and one way to turn a failed source record into a dead-letter record (its raw
 * bytes, redacted if they hold a secret, with the exception in KIP-1034 headers).
 */
public final class DeadLetterWriter {

  /**
   * Streams property naming the dead-letter topic for the handlers: Kafka Streams' own (KIP-1034,
   * {@code errors.dead.letter.queue.topic.name}), set from {@code topics.dlq}.
   */
  public static final String DLQ_TOPIC_CONFIG =
      StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG;

  /** Streams property carrying the service version into the headers. */
  public static final String SERVICE_VERSION_CONFIG = "kfm.service.version";

  private static final Validator SECRET_CHECK = new Validator(ValidatorOptions.defaults());

  private final String topic;
  private final String serviceVersion;
  private final RecordLimit limit;

  public DeadLetterWriter(Map<String, ?> configs) {
    Object topic = configs.get(DLQ_TOPIC_CONFIG);
    if (topic == null || topic.toString().isBlank()) {
      throw new ConfigException(
          DLQ_TOPIC_CONFIG, topic, "the dead-letter topic is required by the exception handlers");
    }
    this.topic = topic.toString();
    Object version = configs.get(SERVICE_VERSION_CONFIG);
    this.serviceVersion = version == null ? "unknown" : version.toString();
    this.limit = RecordLimit.deadLetters(configs);
  }

  /** The dead-letter record for a source record that failed with {@code error}. */
  public List<ProducerRecord<byte[], byte[]>> records(
      ErrorHandlerContext context, byte[] key, byte[] value, Headers headers, Throwable error) {
    byte[] safeValue = value;
    boolean redacted = false;
    if (value != null) {
      Verdict verdict =
          SECRET_CHECK.validate(value, headers == null ? Map.of() : DeadLetters.toMap(headers));
      if (verdict.secretFound()) {
        safeValue = Redactor.redact(verdict, value);
        redacted = true;
      }
    }
    DeadLetters.Source source =
        new DeadLetters.Source(
            context.topic(), context.partition(), context.offset(), context.timestamp());
    Headers out = DeadLetters.forException(headers, error, source, redacted, serviceVersion);
    RecordLimit.Fitted letter = limit.fit(key, safeValue, out, source);
    return List.of(
        new ProducerRecord<>(
            topic, null, context.timestamp(), letter.key(), letter.value(), letter.headers()));
  }
}
