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
 * is repartitioned by that key. Forwards the others to {@code kfm.telemetry.valid} keyed by their
 * join key, with their bytes and record timestamp unchanged.
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
    long time = record.timestamp();
    if (seenBefore(key, time)) {
      metrics.duplicate();
      return;
    }
    seen.put(key, time, time);
    metrics.valid();
    context.forward(record.withKey(record.value().joinKey()).withValue(record.value().event()));
  }

  private boolean seenBefore(String key, long time) {
    try (WindowStoreIterator<Long> hits = seen.fetch(key, time - retentionMs, time + retentionMs)) {
      return hits.hasNext();
    }
  }
}
