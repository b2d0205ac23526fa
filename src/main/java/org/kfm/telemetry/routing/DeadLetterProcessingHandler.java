package org.kfm.telemetry.routing;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KIP-1033 processing handler: a record that makes a processor throw goes to the dead-letter topic
 * with the exception in its headers, and the stream goes on. A failure of the infrastructure (see
 * {@link Failures}; e.g. the schema registry is down while the record is written) fails the task
 * instead, so good data is retried rather than dead-lettered. A failure in a punctuator (no record)
 * is logged and skipped.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

  private DeadLetterWriter writer;

  @Override
  public void configure(Map<String, ?> configs) {
    writer = new DeadLetterWriter(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (Failures.isInfrastructure(exception)) {
      LOG.error(
          "processing failed at {}-{}@{} in {} because of the infrastructure; failing the task so the record"
              + " is retried",
          context.topic(),
          context.partition(),
          context.offset(),
          context.processorNodeId(),
          exception);
      return Response.fail();
    }
    LOG.error(
        "processing failed at {}-{}@{} in {}; dead-lettering the record and going on",
        context.topic(),
        context.partition(),
        context.offset(),
        context.processorNodeId(),
        exception);
    if (record == null) {
      return Response.resume(List.of());
    }
    return Response.resume(
        writer.records(
            context,
            context.sourceRawKey(),
            context.sourceRawValue(),
            context.headers(),
            exception));
  }
}
