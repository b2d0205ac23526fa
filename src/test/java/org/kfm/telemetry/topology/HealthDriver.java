package org.kfm.telemetry.topology;

import static org.kfm.telemetry.testing.RunEvents.event;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.config.AlertSigning;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.contract.Ed25519Keys;

/**
 * A TopologyTestDriver over the whole topology with health checks and signed alerts, and run
 * builders.
 */
final class HealthDriver implements AutoCloseable {

  static final KeyPair KEYS = generate();
  static final String KEY_ID = Ed25519Keys.keyId(KEYS.getPublic());
  static final Clock VALIDATOR_CLOCK =
      Clock.fixed(Instant.parse("2026-01-26T00:00:00Z"), ZoneOffset.UTC);

  final AppConfig config;
  final TopologyTestDriver driver;
  final TestInputTopic<byte[], byte[]> raw;
  final TestOutputTopic<String, HealthCheck> health;
  final TestOutputTopic<String, byte[]> alerts;

  /** The topology's meters (routing counters, health gauges, alert counters). */
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private final TestOutputTopic<byte[], byte[]> dlq;

  HealthDriver(Path stateDir, Instant wallClock) {
    this(stateDir, wallClock, HealthConfig.defaults());
  }

  HealthDriver(Path stateDir, Instant wallClock, HealthConfig health) {
    config = config(health);
    TelemetrySerdes serdes = TestSerdes.of("health-" + System.nanoTime());
    Serde<HealthCheck> checks = serdes.healthChecks();
    Properties props = StreamsProperties.of(config, "test");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver =
        new TopologyTestDriver(
            TelemetryTopology.build(config, serdes, meters, "test"), props, wallClock);
    raw =
        driver.createInputTopic(
            config.topics().raw(), new ByteArraySerializer(), new ByteArraySerializer());
    this.health =
        driver.createOutputTopic(
            config.topics().health(), new StringDeserializer(), checks.deserializer());
    alerts =
        driver.createOutputTopic(
            config.topics().alerts(), new StringDeserializer(), new ByteArrayDeserializer());
    dlq =
        driver.createOutputTopic(
            config.topics().dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  static AppConfig config(HealthConfig health) {
    AppConfig defaults = AppConfig.defaults();
    return defaults
        .withValidator(defaults.validator().withClock(VALIDATOR_CLOCK))
        .withHealth(health.withSigning(new AlertSigning(KEYS.getPrivate(), KEY_ID)));
  }

  /**
   * Sends one run: its terminal event at {@code terminal}, with or without trace context and energy
   * report.
   */
  void run(String pipeline, String runId, Instant terminal, boolean trace, boolean energy) {
    send(event("pipeline.run.completed", pipeline, runId, terminal, trace, energy));
  }

  /** Sends a non-terminal step event of a run. */
  void step(String pipeline, String runId, Instant ts, boolean trace, boolean energy) {
    send(event("pipeline.step", pipeline, runId, ts, trace, energy));
  }

  /** Sends {@code json} as if it reached Kafka at its own ts. */
  void send(String json) {
    send(json, Instant.parse(json.replaceAll("(?s).*\"ts\":\"([^\"]+)\".*", "$1")));
  }

  /** Sends {@code json} as if it reached Kafka at {@code recordTime}. */
  void send(String json, Instant recordTime) {
    raw.pipeInput(new TestRecord<>(null, json.getBytes(StandardCharsets.UTF_8), null, recordTime));
  }

  void advanceWallClock(Duration d) {
    driver.advanceWallClockTime(d);
  }

  List<HealthCheck> healthChecks(String scope) {
    return health.readValuesToList().stream().filter(h -> h.getScope().equals(scope)).toList();
  }

  @Override
  public void close() {
    boolean clean = dlq.isEmpty();
    driver.close();
    if (!clean) {
      throw new AssertionError("a test event was dead-lettered: fix the test's payload");
    }
  }

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
