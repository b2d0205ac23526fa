package org.kfm.telemetry.health;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * A change of one checked run as one scope sees it, written by {@link RunTracker} to the topic
 * keyed by scope: take {@code removed} out of its window pane (null when the scope did not count
 * the run before) and put {@code added} in.
 *
 * @param removed the run's earlier outcome, or null
 * @param added its outcome now
 * @param at the event time (epoch ms, clamped) of the event that changed it: the windows' stream
 *     time
 */
public record RunChange(RunOutcome removed, RunOutcome added, long at) {

  /**
   * Reads {@link #at} as the record's time, so the windows follow event time whatever the record's
   * timestamp.
   */
  public static final class Time implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
      return record.value() instanceof RunChange change ? change.at() : record.timestamp();
    }
  }
}
