package org.kfm.telemetry.app;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when a stream thread dies: replace it (the task is retried from its last commit),
 * unless the failure cannot heal by retrying (a JVM error, credentials or permissions refused, a
 * bad configuration, an unsupported broker), then shut the client down so the process exits and the
 * orchestrator sees it. A replaced thread's consumer leaves the group as it closes ({@link
 * StreamsClients}), so that the replacement does not wait for its session to time out.
 */
final class StreamsFailureHandler implements StreamsUncaughtExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsFailureHandler.class);

  private final StreamsClients clients;

  /**
   * @param clients the clients the streams were made with: Kafka Streams calls this handler on the
   *     dying stream thread, whose name finds its consumer there
   */
  StreamsFailureHandler(StreamsClients clients) {
    this.clients = clients;
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable exception) {
    StreamThreadExceptionResponse response = responseTo(exception);
    if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
      String thread = Thread.currentThread().getName();
      if (!clients.leaveGroupOnClose(thread)) {
        LOG.debug("no main consumer known for {}: it keeps its group membership", thread);
      }
    }
    String refused = refusal(exception);
    if (refused != null) {
      // credentials or permissions refused: the cause says it all, its stack trace adds nothing
      LOG.error("stream thread failed; shutting down (this cannot heal by retrying): {}", refused);
      return response;
    }
    LOG.error(
        "stream thread failed; {}",
        response == StreamThreadExceptionResponse.REPLACE_THREAD
            ? "replacing the thread (its consumer leaves the group; the task restarts from its last"
                + " commit)"
            : "shutting down (this cannot heal by retrying)",
        exception);
    return response;
  }

  /**
   * When {@code exception} is, or is caused by, Kafka's (or the registry's, through the serdes)
   * refusal of the credentials or of a permission: {@code AuthorizationException: message} of the
   * deepest such cause; null otherwise.
   */
  static String refusal(Throwable exception) {
    Throwable refusal = null;
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
        refusal = t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return refusal == null
        ? null
        : refusal.getClass().getSimpleName() + ": " + refusal.getMessage();
  }

  static StreamThreadExceptionResponse responseTo(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof VirtualMachineError
          || t instanceof LinkageError
          || t instanceof AuthenticationException
          || t instanceof AuthorizationException
          || t instanceof ConfigException
          || t instanceof UnsupportedVersionException) {
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }
}
