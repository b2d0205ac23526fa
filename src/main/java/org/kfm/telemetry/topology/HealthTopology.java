package org.kfm.telemetry.topology;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.kfm.telemetry.alerting.AlertProcessor;
import org.kfm.telemetry.alerting.AlertStatus;
import org.kfm.telemetry.alerting.WpeAlerts;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.health.HealthMetrics;
import org.kfm.telemetry.health.HealthWindows;
import org.kfm.telemetry.health.JsonSerde;
import org.kfm.telemetry.health.RunOutcome;
import org.kfm.telemetry.health.RunState;
import org.kfm.telemetry.health.RunTracker;
import org.kfm.telemetry.health.ScopeState;

/**
 * The health-check part of the topology: {@code health-valid-source} (kfm.telemetry.valid) →
 * {@code health-run-tracker} (per run) → {@code health-by-scope-sink} / {@code health-by-scope-source}
 * (re-keyed by scope) → {@code health-windows} → {@code health-sink} (HealthCheck) and, when alerts
 * are enabled, {@code health-alerts} → {@code alerts-sink}. Node and store names are part of the
 * upgrade contract.
 */
public final class HealthTopology {

  public static final String VALID_SOURCE = "health-valid-source";
  public static final String RUN_TRACKER = "health-run-tracker";
  public static final String RUN_STORE = "health-run-store";
  public static final String BY_SCOPE_SINK = "health-by-scope-sink";
  public static final String BY_SCOPE_SOURCE = "health-by-scope-source";
  public static final String WINDOWS = "health-windows";
  public static final String SCOPE_RUNS_STORE = "health-scope-runs-store";
  public static final String SCOPE_STORE = "health-scope-store";
  public static final String HEALTH_SINK = "health-sink";
  public static final String ALERTS = "health-alerts";
  public static final String ALERT_STATE_STORE = "health-alert-state-store";
  public static final String ALERTS_SINK = "alerts-sink";

  private HealthTopology() {
  }

  /**
   * Adds the health checks (and alerts, if enabled) to {@code topology}.
   *
   * @throws IllegalArgumentException when alerts are enabled without a signing key
   */
  public static void addTo(Topology topology, AppConfig config, Serde<TelemetryEvent> events,
                           Serde<HealthCheck> healthChecks, MeterRegistry meters) {
    HealthMetrics metrics = new HealthMetrics(meters);
    HealthConfig health = config.health();
    if (health.alertsEnabled() && health.signing() == null) {
      throw new IllegalArgumentException(HealthConfig.ALERTS_ENABLED + " is true but no alert signing key is "
          + "configured: set " + HealthConfig.SIGNING_KEY + " and " + HealthConfig.KEY_ID
          + " (or set " + HealthConfig.ALERTS_ENABLED + " to false)");
    }
    JsonSerde<RunOutcome> outcomes = new JsonSerde<>(RunOutcome.class);
    topology.addSource(VALID_SOURCE, new StringDeserializer(), events.deserializer(), config.topics().valid());
    topology.addProcessor(RUN_TRACKER, () -> new RunTracker(RUN_STORE, health.window(), health.grace(),
        health.evaluationInterval()), VALID_SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RUN_STORE), Serdes.String(),
        new JsonSerde<>(RunState.class)), RUN_TRACKER);
    topology.addSink(BY_SCOPE_SINK, health.repartitionTopic(), new StringSerializer(), outcomes.serializer(),
        RUN_TRACKER);
    topology.addSource(BY_SCOPE_SOURCE, new StringDeserializer(), outcomes.deserializer(), health.repartitionTopic());
    topology.addProcessor(WINDOWS, () -> new HealthWindows(SCOPE_RUNS_STORE, SCOPE_STORE, health, metrics), BY_SCOPE_SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SCOPE_RUNS_STORE),
        Serdes.String(), outcomes), WINDOWS);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SCOPE_STORE),
        Serdes.String(), new JsonSerde<>(ScopeState.class)), WINDOWS);
    topology.addSink(HEALTH_SINK, config.topics().health(), new StringSerializer(), healthChecks.serializer(), WINDOWS);
    if (!health.alertsEnabled()) {
      return;
    }
    WpeAlerts alerts = new WpeAlerts(health.signing(), config.topics().health());
    topology.addProcessor(ALERTS, () -> new AlertProcessor(ALERT_STATE_STORE, alerts, health.alertSource(),
        metrics), WINDOWS);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALERT_STATE_STORE),
        Serdes.String(), new JsonSerde<>(AlertStatus.class)), ALERTS);
    topology.addSink(ALERTS_SINK, config.topics().alerts(), new StringSerializer(), new ByteArraySerializer(), ALERTS);
  }
}
