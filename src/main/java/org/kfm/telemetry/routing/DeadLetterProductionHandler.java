package org.kfm.telemetry.routing;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells broken data from broken infrastructure when a record cannot be written (see {@link
 * Failures}). A serializer that fails because the schema registry cannot be reached or refuses our
 * credentials fails the task, so the record is retried once the thread is replaced and good data is
 * never dead-lettered; any other serialization failure (the record does not fit its schema, an
 * incompatible schema, a bug) dead-letters the source record and the stream goes on. A send that
 * fails retriably is retried; otherwise the task fails.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

  private DeadLetterWriter writer;

  @Override
  public void configure(Map<String, ?> configs) {
    writer = new DeadLetterWriter(configs);
  }

  @Override
  @SuppressWarnings("rawtypes") // the interface declares the raw type
  public Response handleSerializationError(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    if (Failures.isInfrastructure(exception)) {
      LOG.error(
          "cannot serialize for {}: not the record's fault (registry unavailable or refusing, or a bug);"
              + " failing so the record is retried",
          record.topic(),
          exception);
      return Response.fail();
    }
    LOG.error(
        "cannot serialize the {} for {} from {}-{}@{}; dead-lettering the source record",
        origin,
        record.topic(),
        context.topic(),
        context.partition(),
        context.offset(),
        exception);
    return Response.resume(
        writer.records(
            context,
            context.sourceRawKey(),
            context.sourceRawValue(),
            context.headers(),
            exception));
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RetriableException) {
      return Response.retry();
    }
    LOG.error("cannot write to {}; failing the task", record.topic(), exception);
    return Response.fail();
  }
}
