package org.kfm.telemetry.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when a stream thread dies: replace it (the task is retried from its last commit),
 * unless the failure cannot heal by retrying (a JVM error, credentials or permissions refused, a
 * bad configuration, an unsupported broker, a source topic missing for {@link
 * #MISSING_SOURCE_GRACE}, internal topics whose partition counts no longer match the input's), then
 * shut the client down so the process exits and the orchestrator sees it. A replaced thread's
 * consumer leaves the group as it closes ({@link StreamsClients}), so that the replacement does not
 * wait for its session to time out; failures that follow one another within a minute wait longer
 * and longer (up to {@link #MAX_BACKOFF}) before their replacement, so that a failure that recurs
 * at once cannot spin.
 */
final class StreamsFailureHandler implements StreamsUncaughtExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsFailureHandler.class);

  /** The first wait before a replacement when the previous failure was less than a minute ago. */
  static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

  /** The longest wait before a replacement. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private static final long STREAK_NANOS = Duration.ofMinutes(1).toNanos();

  /**
   * How long a source topic may be missing before the client gives up: long enough for a topic
   * created just before the start to reach every broker's metadata, short of leaving an instance
   * that reads nothing looking alive.
   */
  static final Duration MISSING_SOURCE_GRACE = Duration.ofSeconds(20);

  private final StreamsClients clients;
  private final List<String> sourceTopics;
  private final LongSupplier nanoTime;
  private long lastFailure;
  private int streak = -1;
  private long missingSince;
  private long lastMissing;
  private boolean missing;
  private String lastCause;

  /**
   * @param clients the clients the streams were made with: Kafka Streams calls this handler on the
   *     dying stream thread, whose name finds its consumer there
   * @param sourceTopics the topics the topology reads that are not Kafka Streams' own, named when
   *     one is missing
   */
  StreamsFailureHandler(StreamsClients clients, List<String> sourceTopics) {
    this(clients, sourceTopics, System::nanoTime);
  }

  StreamsFailureHandler(StreamsClients clients, List<String> sourceTopics, LongSupplier nanoTime) {
    this.clients = clients;
    this.sourceTopics = List.copyOf(sourceTopics);
    this.nanoTime = nanoTime;
  }

  /**
   * How long to wait before replacing a thread that failed now: nothing for a failure more than a
   * minute after the previous one, then {@link #FIRST_BACKOFF} doubling up to {@link #MAX_BACKOFF}
   * for each failure within a minute of the one before (of any thread); {@code cause}, the failure
   * in one line, is what {@link #failing} names.
   */
  synchronized Duration backoff(String cause) {
    lastCause = cause;
    long now = nanoTime.getAsLong();
    streak = streak >= 0 && now - lastFailure < STREAK_NANOS ? streak + 1 : 0;
    lastFailure = now;
    if (streak == 0) {
      return Duration.ZERO;
    }
    long millis = FIRST_BACKOFF.toMillis() << Math.min(streak - 1, 16);
    return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
  }

  /**
   * Why records are stalled when stream threads keep failing: while the latest of two or more
   * failures, each within a minute of the one before, is less than a minute old, how many and the
   * latest's deepest cause (for {@code /readyz}); null otherwise.
   */
  synchronized String failing() {
    long since = nanoTime.getAsLong() - lastFailure;
    if (streak < 1 || since >= STREAK_NANOS) {
      return null;
    }
    long ago = Duration.ofNanos(since).toSeconds();
    return "stream threads failed "
        + (streak + 1)
        + " times, each within a minute of the one before, the latest "
        + ago
        + " s ago"
        + (lastCause == null ? "" : ": " + lastCause);
  }

  /**
   * Whether a source topic, reported missing now, has been missing for {@link
   * #MISSING_SOURCE_GRACE} (reports less than a minute apart count as one stretch).
   */
  synchronized boolean missingForGood() {
    long now = nanoTime.getAsLong();
    if (!missing || now - lastMissing >= STREAK_NANOS) {
      missingSince = now;
    }
    missing = true;
    lastMissing = now;
    return now - missingSince >= MISSING_SOURCE_GRACE.toNanos();
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable exception) {
    StreamThreadExceptionResponse response = responseTo(exception);
    String mismatch = partitionMismatch(exception);
    String refused = refusal(exception);
    if (isMissingSourceTopic(exception)) {
      // Kafka Streams' exception does not say which; its group leader logs it
      boolean forGood = missingForGood();
      if (forGood) {
        response = StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
      LOG.error(
          "stream thread failed; {}: a topic the service reads is missing (one of {}); create it"
              + " with kfm topics apply",
          forGood
              ? "shutting down (missing for " + MISSING_SOURCE_GRACE.toSeconds() + " s)"
              : "retrying for up to " + MISSING_SOURCE_GRACE.toSeconds() + " s",
          String.join(", ", sourceTopics));
    } else if (mismatch != null) {
      // the same on every rebalance: a thread replaced would fail again at once, forever
      LOG.error(
          "stream thread failed; shutting down (this cannot heal by retrying): {} The partition"
              + " counts of the topics the service reads changed after its internal topics and"
              + " state were made; they must be reset: see docs/deploy.md#changing-partition-counts",
          mismatch);
    } else if (refused != null) {
      // credentials or permissions refused: the cause says it all, its stack trace adds nothing
      LOG.error("stream thread failed; shutting down (this cannot heal by retrying): {}", refused);
    } else {
      LOG.error(
          "stream thread failed; {}",
          response == StreamThreadExceptionResponse.REPLACE_THREAD
              ? "replacing the thread (its consumer leaves the group; the task restarts from its"
                  + " last commit)"
              : "shutting down (this cannot heal by retrying)",
          exception);
    }
    if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
      String thread = Thread.currentThread().getName();
      if (!clients.leaveGroupOnClose(thread)) {
        LOG.debug("no main consumer known for {}: it keeps its group membership", thread);
      }
      Duration wait = backoff(summary(exception));
      if (!wait.isZero()) {
        LOG.warn("stream threads failed again within a minute; replacing this one in {}", wait);
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    return response;
  }

  /**
   * When {@code exception} is, or is caused by, Kafka's (or the registry's, through the serdes)
   * refusal of the credentials or of a permission: {@code AuthorizationException: message} of the
   * deepest such cause; null otherwise.
   */
  static String refusal(Throwable exception) {
    Throwable refusal = null;
    for (Throwable t : causes(exception)) {
      if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
        refusal = t;
      }
    }
    return refusal == null
        ? null
        : refusal.getClass().getSimpleName() + ": " + refusal.getMessage();
  }

  /**
   * When {@code exception} is, or is caused by, Kafka Streams' refusal to use an internal topic
   * whose partition count no longer matches its input's (partitions added to {@code
   * kfm.telemetry.raw} or {@code kfm.telemetry.valid}): Kafka Streams' message, which names the
   * topic and both counts; null otherwise. Kafka Streams gives it no exception type of its own.
   */
  static String partitionMismatch(Throwable exception) {
    String found = null;
    for (Throwable t : causes(exception)) {
      String message = t.getMessage();
      if (t instanceof StreamsException
          && message != null
          && message.contains("internal topic")
          && message.contains("has invalid partitions")) {
        found = message; // the deepest: a wrapper's message repeats it behind a class name
      }
    }
    if (found == null) {
      return null;
    }
    int tool = found.indexOf(" Use '");
    return tool > 0 ? found.substring(0, tool) : found;
  }

  /** Whether {@code exception} is, or is caused by, Kafka Streams' report of a missing source. */
  static boolean isMissingSourceTopic(Throwable exception) {
    return causes(exception).stream().anyMatch(MissingSourceTopicException.class::isInstance);
  }

  static StreamThreadExceptionResponse responseTo(Throwable exception) {
    if (partitionMismatch(exception) != null) {
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    for (Throwable t : causes(exception)) {
      if (t instanceof VirtualMachineError
          || t instanceof LinkageError
          || t instanceof AuthenticationException
          || t instanceof AuthorizationException
          || t instanceof ConfigException
          || t instanceof UnsupportedVersionException) {
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
    }
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /**
   * The deepest cause of {@code exception} as one line: its class's simple name and its message,
   * whitespace collapsed, cut at {@value #MAX_SUMMARY} characters.
   */
  static String summary(Throwable exception) {
    List<Throwable> chain = causes(exception);
    Throwable deepest = chain.get(chain.size() - 1);
    String message = deepest.getMessage() == null ? "" : deepest.getMessage();
    String line =
        (deepest.getClass().getSimpleName() + ": " + message).strip().replaceAll("\\s+", " ");
    return line.length() <= MAX_SUMMARY ? line : line.substring(0, MAX_SUMMARY) + "...";
  }

  private static final int MAX_SUMMARY = 200;

  /** {@code exception} and its causes, outermost first (a cycle ends it). */
  private static List<Throwable> causes(Throwable exception) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = exception; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
