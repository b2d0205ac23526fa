package org.kfm.telemetry.ops;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.health.HealthHistory;
import org.kfm.telemetry.health.LatestHealthChecks;
import org.kfm.telemetry.topology.HealthTopology;

/**
 * The latest health check of each scope this instance holds, from its health stores (interactive
 * queries; see {@link LatestHealthChecks}), and their recent evaluations ({@link HealthHistory}).
 * Scopes on partitions of other instances are not included.
 */
public final class StoreHealthChecks implements HealthChecksSource {

  private final KafkaStreams streams;
  private final LatestHealthChecks latest;

  public StoreHealthChecks(KafkaStreams streams, HealthConfig config) {
    this.streams = streams;
    this.latest = new LatestHealthChecks(config);
  }

  @Override
  public Map<String, List<HealthCheck>> history(Collection<String> scopes, Instant from) {
    return HealthHistory.read(
        streams.store(
            StoreQueryParameters.fromNameAndType(
                HealthTopology.HISTORY_STORE, QueryableStoreTypes.windowStore())),
        scopes,
        from);
  }

  @Override
  public List<HealthCheck> latest() {
    return latest.of(
        streams.store(
            StoreQueryParameters.fromNameAndType(
                HealthTopology.SCOPE_STORE, QueryableStoreTypes.keyValueStore())),
        streams.store(
            StoreQueryParameters.fromNameAndType(
                HealthTopology.PANES_STORE, QueryableStoreTypes.keyValueStore())));
  }
}
