package org.kfm.telemetry.routing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Drops an accepted event whose de-duplication key (CloudEvents source + id, else the payload's
 * digest) was seen within the retention, on whatever raw partition either copy arrived: its input
 * is repartitioned by that key. A key is remembered for the retention from when its event arrived
 * (wall-clock time, as the store keeps it), whatever time the record is stamped with. Forwards the
 * others to {@code kfm.telemetry.valid} keyed by their join key, with their bytes and record
 * timestamp unchanged.
 */
public final class Deduplicator implements Processor<byte[], Routed.Accepted, String, byte[]> {

  private final String storeName;
  private final long retentionMs;
  private final RoutingMetrics metrics;
  private ProcessorContext<String, byte[]> context;
  private WindowStore<String, Long> seen;

  public Deduplicator(String storeName, Duration retention, RoutingMetrics metrics) {
    this.storeName = storeName;
    this.retentionMs = retention.toMillis();
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<byte[], Routed.Accepted> record) {
    String key = new String(record.key(), StandardCharsets.UTF_8);
    // When the copy arrives, not when it is stamped: copies stamped days apart (a producer that
    // replays its buffer with the original timestamps, a backfill stamped with event times, a clock
    // behind) may arrive minutes apart, in either order; by record time they would be too far apart
    // to meet, and the window store drops at once what is older than its newest time - retention
    long now = context.currentSystemTimeMs();
    if (seenBefore(key, now)) {
      metrics.duplicate();
      return;
    }
    seen.put(key, record.timestamp(), now);
    metrics.valid();
    context.forward(record.withKey(record.value().joinKey()).withValue(record.value().event()));
  }

  private boolean seenBefore(String key, long time) {
    try (WindowStoreIterator<Long> hits = seen.fetch(key, time - retentionMs, time + retentionMs)) {
      return hits.hasNext();
    }
  }
}
