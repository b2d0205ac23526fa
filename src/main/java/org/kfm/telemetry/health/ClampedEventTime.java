package org.kfm.telemetry.health;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The event time of a valid event for the health checks: its payload {@code ts}, but never more
 * than {@code health.max-clock-skew} after the time its record reached Kafka (the record
 * timestamp), so a producer whose clock runs ahead cannot move windows or stream time into the
 * future. The payload is not changed; {@link #isClamped} tells when the bound applied.
 */
public final class ClampedEventTime implements TimestampExtractor {

  private final long maxSkewMs;

  public ClampedEventTime(Duration maxClockSkew) {
    this.maxSkewMs = maxClockSkew.toMillis();
  }

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof RunEvent event && record.timestamp() >= 0) {
      // Never negative (Kafka Streams would drop the record unseen): an event before 1970 is simply
      // too late.
      return Math.max(0, of(event.eventTimeMs(), record.timestamp()));
    }
    return record.timestamp();
  }

  /** {@code min(ts, recordTimestamp + max skew)}. */
  public long of(long ts, long recordTimestamp) {
    long bound = recordTimestamp + maxSkewMs;
    return bound < recordTimestamp || ts <= bound ? ts : bound;
  }

  /** Whether an event whose payload says {@code ts} was counted earlier, at {@code counted}. */
  public static boolean isClamped(long ts, long counted) {
    return counted < ts;
  }
}
