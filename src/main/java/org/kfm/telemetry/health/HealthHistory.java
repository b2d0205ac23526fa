package org.kfm.telemetry.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.kfm.telemetry.avro.HealthCheck;

/**
 * The recent evaluations of every scope, for trends: each health check is kept in a window store
 * keyed by scope at its window end (a later revision of the same window replaces the earlier one),
 * and the store drops what is older than {@link #RETENTION} behind the newest window end it holds,
 * so it stays bounded at about {@code RETENTION / health.evaluation-interval} checks per scope.
 */
public final class HealthHistory implements Processor<String, HealthCheck, Void, Void> {

  /** How much history the store keeps: the 24 hours a trend shows, and one hour of slack. */
  public static final Duration RETENTION = Duration.ofHours(25);

  /** The longest trend that can be asked for. */
  public static final Duration LONGEST = Duration.ofHours(24);

  private final String storeName;
  private WindowStore<String, HealthCheck> store;

  public HealthHistory(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, HealthCheck> record) {
    HealthCheck check = record.value();
    if (check != null) {
      store.put(check.getScope(), check, check.getWindowEnd().toEpochMilli());
    }
  }

  /**
   * The evaluations of {@code scopes} (every scope when empty) whose window ended at or after
   * {@code from}, by scope, oldest first.
   */
  public static Map<String, List<HealthCheck>> read(
      ReadOnlyWindowStore<String, HealthCheck> store, Collection<String> scopes, Instant from) {
    Instant to = Instant.ofEpochMilli(Long.MAX_VALUE / 2);
    Map<String, List<HealthCheck>> out = new TreeMap<>();
    if (scopes.isEmpty()) {
      try (KeyValueIterator<Windowed<String>, HealthCheck> it = store.fetchAll(from, to)) {
        while (it.hasNext()) {
          KeyValue<Windowed<String>, HealthCheck> next = it.next();
          out.computeIfAbsent(next.key.key(), s -> new ArrayList<>()).add(next.value);
        }
      }
    } else {
      for (String scope : scopes) {
        try (WindowStoreIterator<HealthCheck> it = store.fetch(scope, from, to)) {
          while (it.hasNext()) {
            out.computeIfAbsent(scope, s -> new ArrayList<>()).add(it.next().value);
          }
        }
      }
    }
    out.values().forEach(list -> list.sort((a, b) -> a.getWindowEnd().compareTo(b.getWindowEnd())));
    return out;
  }
}
