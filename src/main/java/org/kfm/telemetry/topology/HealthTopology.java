package org.kfm.telemetry.topology;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.kfm.telemetry.alerting.AlertProcessor;
import org.kfm.telemetry.alerting.WpeAlerts;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.health.ClampedEventTime;
import org.kfm.telemetry.health.HealthHistory;
import org.kfm.telemetry.health.HealthMetrics;
import org.kfm.telemetry.health.HealthWindows;
import org.kfm.telemetry.health.RunChange;
import org.kfm.telemetry.health.RunTracker;

/**
 * The health-check part of the topology: {@code health-valid-source} (kfm.telemetry.valid, at the
 * event's clamped ts) → {@code health-run-tracker} (per run) → {@code health-by-scope-sink} /
 * {@code health-by-scope-source} (run changes keyed by scope, at their event time) → {@code
 * health-windows} (panes per scope and interval) → {@code health-sink} (HealthCheck) and {@code
 * health-history} (the last 24 h of evaluations per scope, for trends) and, when alerts are
 * enabled, {@code health-alerts} → {@code alerts-sink}. Node and store names are part of the
 * upgrade contract.
 */
public final class HealthTopology {

  public static final String VALID_SOURCE = "health-valid-source";
  public static final String RUN_TRACKER = "health-run-tracker";
  public static final String RUN_STORE = "health-run-store";
  public static final String RUN_EXPIRY_STORE = "health-run-expiry-store";
  public static final String BY_SCOPE_SINK = "health-by-scope-sink";
  public static final String BY_SCOPE_SOURCE = "health-by-scope-source";
  public static final String WINDOWS = "health-windows";
  public static final String PANES_STORE = "health-scope-panes-store";
  public static final String SCOPE_STORE = "health-scope-store";
  public static final String HEALTH_SINK = "health-sink";
  public static final String HISTORY = "health-history";
  public static final String HISTORY_STORE = "health-history-store";
  public static final String ALERTS = "health-alerts";
  public static final String ALERT_STATE_STORE = "health-alert-state-store";
  public static final String ALERTS_SINK = "alerts-sink";

  private HealthTopology() {}

  /**
   * Adds the health checks (and alerts, if enabled) to {@code builder}.
   *
   * @throws IllegalArgumentException when alerts are enabled without a signing key
   */
  public static void addTo(
      StreamsBuilder builder, AppConfig config, TelemetrySerdes serdes, MeterRegistry meters) {
    HealthMetrics metrics = new HealthMetrics(meters);
    HealthConfig health = config.health();
    if (health.alertsEnabled() && health.signing() == null) {
      throw new IllegalArgumentException(
          HealthConfig.ALERTS_ENABLED
              + " is true but no alert signing key is "
              + "configured: set "
              + HealthConfig.SIGNING_KEY
              + " (or set "
              + HealthConfig.ALERTS_ENABLED
              + " to false)");
    }
    Serde<RunChange> changes = serdes.runChanges();
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RUN_STORE), Serdes.String(), serdes.runStates())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RUN_EXPIRY_STORE), Serdes.String(), Serdes.String())
            .withCachingEnabled());
    builder.stream(
            config.topics().valid(),
            Consumed.with(Serdes.String(), serdes.runEvents())
                .withTimestampExtractor(new ClampedEventTime(health.maxClockSkew()))
                .withName(VALID_SOURCE))
        .process(
            () -> new RunTracker(RUN_STORE, RUN_EXPIRY_STORE, health, metrics),
            Named.as(RUN_TRACKER),
            RUN_STORE,
            RUN_EXPIRY_STORE)
        .to(
            health.repartitionTopic(),
            Produced.with(Serdes.String(), changes).withName(BY_SCOPE_SINK));

    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PANES_STORE), Serdes.String(), serdes.panes())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SCOPE_STORE), Serdes.String(), serdes.scopes())
            .withCachingEnabled());
    KStream<String, HealthCheck> checks =
        builder.stream(
                health.repartitionTopic(),
                Consumed.with(Serdes.String(), changes)
                    .withTimestampExtractor(new RunChange.Time())
                    .withName(BY_SCOPE_SOURCE))
            .process(
                () -> new HealthWindows(PANES_STORE, SCOPE_STORE, health, metrics),
                Named.as(WINDOWS),
                PANES_STORE,
                SCOPE_STORE);
    checks.to(
        config.topics().health(),
        Produced.with(Serdes.String(), serdes.healthChecks()).withName(HEALTH_SINK));
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                HISTORY_STORE, HealthHistory.RETENTION, Duration.ofMillis(1), false),
            Serdes.String(),
            serdes.healthHistory()));
    checks.process(() -> new HealthHistory(HISTORY_STORE), Named.as(HISTORY), HISTORY_STORE);
    if (!health.alertsEnabled()) {
      return;
    }
    WpeAlerts alerts = new WpeAlerts(health.signing(), config.topics().health());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ALERT_STATE_STORE),
            Serdes.String(),
            serdes.alertStates()));
    checks
        .process(
            () -> new AlertProcessor(ALERT_STATE_STORE, alerts, health.alertSource(), metrics),
            Named.as(ALERTS),
            ALERT_STATE_STORE)
        .to(
            config.topics().alerts(),
            Produced.with(Serdes.String(), Serdes.ByteArray()).withName(ALERTS_SINK));
  }
}
