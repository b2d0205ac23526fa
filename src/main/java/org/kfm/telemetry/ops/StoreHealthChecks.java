package org.kfm.telemetry.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.health.HealthEvaluator;
import org.kfm.telemetry.health.RunOutcome;
import org.kfm.telemetry.health.ScopeState;
import org.kfm.telemetry.topology.HealthTopology;

/**
 * The latest health check of each scope, re-evaluated from this instance's health stores
 * (interactive queries): the window ending at the scope's last evaluated end, over its remembered
 * runs, so it equals the last {@code kfm.telemetry.health} record of the scope. Scopes on partitions
 * of other instances are not included.
 */
public final class StoreHealthChecks implements HealthChecksSource {

  private static final String SEP = "\u0000";

  private final KafkaStreams streams;
  private final HealthEvaluator evaluator;

  public StoreHealthChecks(KafkaStreams streams, HealthConfig config) {
    this.streams = streams;
    this.evaluator = new HealthEvaluator(config);
  }

  @Override
  public List<HealthCheck> latest() {
    ReadOnlyKeyValueStore<String, ScopeState> scopes = streams.store(StoreQueryParameters.fromNameAndType(
        HealthTopology.SCOPE_STORE, QueryableStoreTypes.keyValueStore()));
    ReadOnlyKeyValueStore<String, RunOutcome> runs = streams.store(StoreQueryParameters.fromNameAndType(
        HealthTopology.SCOPE_RUNS_STORE, QueryableStoreTypes.keyValueStore()));
    return latest(evaluator, scopes, runs);
  }

  /** The latest health check of each scope in {@code scopes} (the stores of {@link HealthTopology}), sorted by scope. */
  public static List<HealthCheck> latest(HealthEvaluator evaluator, ReadOnlyKeyValueStore<String, ScopeState> scopes,
                                         ReadOnlyKeyValueStore<String, RunOutcome> runs) {
    List<HealthCheck> checks = new ArrayList<>();
    try (KeyValueIterator<String, ScopeState> it = scopes.all()) {
      while (it.hasNext()) {
        KeyValue<String, ScopeState> scope = it.next();
        if (scope.value.lastEvaluatedEnd() == null) {
          continue;
        }
        List<RunOutcome> scopeRuns = new ArrayList<>();
        try (KeyValueIterator<String, RunOutcome> r = runs.prefixScan(scope.key + SEP, new StringSerializer())) {
          r.forEachRemaining(kv -> scopeRuns.add(kv.value));
        }
        checks.add(evaluator.evaluate(scope.key, scope.value.lastEvaluatedEnd(), scopeRuns, scope.value.lastRunAt()));
      }
    }
    checks.sort(Comparator.comparing(HealthCheck::getScope));
    return checks;
  }
}
