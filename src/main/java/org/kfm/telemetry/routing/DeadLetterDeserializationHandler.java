package org.kfm.telemetry.routing;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be deserialized goes to the dead-letter topic with the exception in its
 * headers, and the stream goes on. (The raw topic is read as bytes, so this is a safety net; the
 * health sub-topology reads {@code kfm.telemetry.valid} as Avro.) A failure of the infrastructure
 * (see {@link Failures}: e.g. the schema registry cannot be reached for the writer schema of a good
 * record) fails the task instead, so the record is read again once the thread is replaced, never
 * dead-lettered.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

  private DeadLetterWriter writer;

  @Override
  public void configure(Map<String, ?> configs) {
    writer = new DeadLetterWriter(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    if (Failures.isInfrastructure(exception)) {
      LOG.error(
          "cannot deserialize {}-{}@{} because of the infrastructure (registry unavailable or"
              + " refusing); failing the task so the record is read again",
          context.topic(),
          context.partition(),
          context.offset(),
          exception);
      return Response.fail();
    }
    LOG.error(
        "cannot deserialize {}-{}@{}; dead-lettering the record and going on",
        context.topic(),
        context.partition(),
        context.offset(),
        exception);
    return Response.resume(
        writer.records(context, record.key(), record.value(), record.headers(), exception));
  }
}
