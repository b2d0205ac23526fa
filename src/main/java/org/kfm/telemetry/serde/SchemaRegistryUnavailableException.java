package org.kfm.telemetry.serde;

import org.apache.kafka.common.errors.RetriableException;

/**
 * Thrown by {@link AvroSerializer} and {@link AvroDeserializer} when the schema registry could not
 * be reached or failed on its side (after the client's own bounded retries): broken infrastructure,
 * not bad data.
 *
 * <p>It extends Kafka's {@link RetriableException} and deliberately <em>not</em> {@link
 * org.apache.kafka.common.errors.SerializationException}, so an exception handler can route bad
 * records ({@code SerializationException}) to a dead-letter topic while failing, or retrying, on
 * this one. Kafka Streams hands it to the configured {@code DeserializationExceptionHandler} (on
 * read) or {@code ProductionExceptionHandler#handleSerializationError} (on write): a handler that
 * continues on every exception, such as {@code LogAndContinueExceptionHandler}, would drop healthy
 * records during a registry outage, so the topology must check for this type. The cause is the
 * {@link SchemaRegistryException} with the HTTP status (or none) and the registry's message.
 * Confluent's serializers signal the same situations with other {@code RetriableException}s ({@code
 * TimeoutException}, {@code DisconnectException}).
 */
public class SchemaRegistryUnavailableException extends RetriableException {

  public SchemaRegistryUnavailableException(String message, SchemaRegistryException cause) {
    super(message, cause);
  }
}
