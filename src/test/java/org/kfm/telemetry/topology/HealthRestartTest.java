package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.avro.HealthCheck;

/**
 * Health checks across a restart: a new instance whose health stores are restored from the
 * changelogs of the first evaluates on without repeating an alert.
 */
class HealthRestartTest {

  private static final String PIPELINE = HealthTopologyTest.PIPELINE;
  private static final Instant SEED_WINDOW_END = HealthTopologyTest.SEED_WINDOW_END;

  @TempDir Path stateDir;

  @Test
  void shouldNotReEmitAnAlertAfterARestartThatRestoresTheStoresFromTheirChangelogs() {
    // Given a first instance that raised the seed's alert, and what it wrote to its stores'
    // changelogs
    Map<String, List<KeyValue<String, Object>>> changelogs;
    try (HealthDriver first =
        new HealthDriver(stateDir.resolve("first"), HealthTopologyTest.DAY_START)) {
      HealthTopologyTest.seedDay(first);
      first.advanceWallClock(Duration.ofHours(25));
      assertThat(first.alerts.readRecordsToList()).hasSize(2);
      changelogs = readChangelogs(first);
    }

    // When a new instance restores its stores from those changelogs and evaluates the next window
    try (HealthDriver second =
        new HealthDriver(stateDir.resolve("second"), SEED_WINDOW_END.plus(Duration.ofHours(1)))) {
      restore(second, changelogs);
      second.advanceWallClock(Duration.ofHours(1));

      // Then that window is evaluated, still breached, and no alert repeats
      assertThat(second.healthChecks(PIPELINE))
          .extracting(HealthCheck::getWindowEnd)
          .containsExactly(Instant.parse("2026-01-23T20:00:00Z"));
      assertThat(second.alerts.isEmpty()).isTrue();
    }

    // (Control: with the runs but without the alert states, the same evaluation would alert again.)
    changelogs.remove(HealthTopology.ALERT_STATE_STORE);
    try (HealthDriver third =
        new HealthDriver(stateDir.resolve("third"), SEED_WINDOW_END.plus(Duration.ofHours(1)))) {
      restore(third, changelogs);
      third.advanceWallClock(Duration.ofHours(1));
      assertThat(third.alerts.readRecordsToList()).hasSize(2);
    }
  }

  /** Each health store's value deserializer, as the topology's serdes build them. */
  private static final Map<String, Deserializer<?>> STORES = storeValues();

  private static Map<String, Deserializer<?>> storeValues() {
    TelemetrySerdes serdes = TelemetrySerdes.of(Map.of("schema.registry.url", "mock://restart"));
    return Map.of(
        HealthTopology.RUN_STORE,
        serdes.runStates().deserializer(),
        HealthTopology.RUN_EXPIRY_STORE,
        new StringDeserializer(),
        HealthTopology.PANES_STORE,
        serdes.panes().deserializer(),
        HealthTopology.SCOPE_STORE,
        serdes.scopes().deserializer(),
        HealthTopology.ALERT_STATE_STORE,
        serdes.alertStates().deserializer());
  }

  /**
   * Every record each health store wrote to its changelog topic, in order (null values are
   * deletes).
   */
  @SuppressWarnings("unchecked")
  private static Map<String, List<KeyValue<String, Object>>> readChangelogs(HealthDriver h) {
    Map<String, List<KeyValue<String, Object>>> changelogs = new HashMap<>();
    STORES.forEach(
        (store, values) -> {
          TestOutputTopic<String, Object> topic =
              h.driver.createOutputTopic(
                  StreamsProperties.APPLICATION_ID + "-" + store + "-changelog",
                  new StringDeserializer(),
                  (Deserializer<Object>) values);
          List<KeyValue<String, Object>> records = new ArrayList<>();
          topic.readKeyValuesToList().forEach(kv -> records.add(new KeyValue<>(kv.key, kv.value)));
          assertThat(records).as(store).isNotEmpty();
          changelogs.put(store, records);
        });
    return changelogs;
  }

  private static void restore(
      HealthDriver h, Map<String, List<KeyValue<String, Object>>> changelogs) {
    changelogs.forEach(
        (name, records) -> {
          KeyValueStore<String, Object> store = h.driver.getKeyValueStore(name);
          records.forEach(
              kv -> {
                if (kv.value == null) {
                  store.delete(kv.key);
                } else {
                  store.put(kv.key, kv.value);
                }
              });
        });
  }
}
