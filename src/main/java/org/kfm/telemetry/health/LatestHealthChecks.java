package org.kfm.telemetry.health;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.config.HealthConfig;

/**
 * The latest health check of each scope, evaluated again from the {@link HealthWindows} stores (its
 * scope store and pane store, as interactive queries see them): the window ending at the scope's
 * last evaluated end, with the revision last emitted for it, so that it equals the scope's latest
 * {@code kfm.telemetry.health} record once pending revisions are out.
 */
public final class LatestHealthChecks {

  private final HealthConfig config;
  private final HealthEvaluator evaluator;

  public LatestHealthChecks(HealthConfig config) {
    this.config = config;
    this.evaluator = new HealthEvaluator(config);
  }

  /** One health check per evaluated scope of {@code scopes}, sorted by scope. */
  public List<HealthCheck> of(
      ReadOnlyKeyValueStore<String, ScopeState> scopes, ReadOnlyKeyValueStore<String, Pane> panes) {
    long interval = config.evaluationInterval().toMillis();
    long span = config.span().toMillis();
    List<HealthCheck> checks = new ArrayList<>();
    try (KeyValueIterator<String, ScopeState> it = scopes.all()) {
      while (it.hasNext()) {
        KeyValue<String, ScopeState> scope = it.next();
        Long end = scope.value.lastEvaluatedEnd();
        if (end == null) {
          continue;
        }
        var scopePanes = StoreKeys.panes(panes, scope.key, end - span - interval, end);
        Pane closing = scopePanes.get(end - interval);
        int revision =
            closing == null || closing.emitted() == null ? 0 : closing.emitted().revision();
        checks.add(
            evaluator.evaluate(scope.key, end, scopePanes, scope.value.firstRunAt(), revision));
      }
    }
    checks.sort(Comparator.comparing(HealthCheck::getScope));
    return checks;
  }
}
