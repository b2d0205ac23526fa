package org.kfm.telemetry.dev;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.streams.StreamsConfig;
import org.kfm.telemetry.app.KeyFiles;
import org.kfm.telemetry.app.KfmCommand;
import org.kfm.telemetry.app.RunCommand;
import org.kfm.telemetry.app.ServiceRuntime;
import org.kfm.telemetry.config.ConfigLoader;
import org.kfm.telemetry.config.ServiceConfig;
import org.kfm.telemetry.ops.topics.KafkaTopicAdmin;
import org.kfm.telemetry.ops.topics.Plan;
import org.kfm.telemetry.ops.topics.TopicApplier;
import org.kfm.telemetry.ops.topics.TopicPlanner;
import org.kfm.telemetry.ops.topics.TopicSpec;
import org.kfm.telemetry.ops.topics.TopicsFile;
import org.kfm.telemetry.topology.StreamsProperties;
import org.kfm.telemetry.topology.TelemetryTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code kfm dev} runs in one JVM: a single-node Kafka broker, the embedded schema
 * registry (its schemas in the broker's compacted {@code _schemas} topic, so a reused data dir
 * keeps their ids), the topics of topics.yaml (replication 1), an alert-signing key pair and the
 * service itself; with {@code demo}, the demo traffic. {@link #close} stops them in reverse order.
 */
final class DevMode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DevMode.class);

  /** What to start. Ports 0 pick free ones. */
  record Settings(Path dataDir, int kafkaPort, int registryPort, int httpPort, boolean demo) {}

  private final Settings settings;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private EmbeddedKafka kafka;
  private EmbeddedSchemaRegistry registry;
  private ServiceRuntime runtime;
  private ServiceConfig config;
  private KeyFiles keys;
  private CommittedRecords outputs;
  private Thread demo;
  private volatile int demoRecords = -1;

  private DevMode(Settings settings) {
    this.settings = settings;
  }

  /**
   * Starts everything; on failure stops what was started and rethrows.
   *
   * @throws EmbeddedKafka.PortTakenException when a requested port is in use
   */
  static DevMode start(Settings settings) throws Exception {
    for (int port :
        new int[] {settings.kafkaPort(), settings.registryPort(), settings.httpPort()}) {
      if (port != 0) {
        EmbeddedKafka.checkFree(port);
      }
    }
    DevMode dev = new DevMode(settings);
    try {
      dev.startAll();
    } catch (Exception | Error e) {
      dev.close();
      throw e;
    }
    return dev;
  }

  private void startAll() throws Exception {
    Path dir = settings.dataDir();
    Files.createDirectories(dir);
    kafka = EmbeddedKafka.start(dir, settings.kafkaPort(), Duration.ofSeconds(60));
    started.add(kafka);
    try {
      registry = registry(kafka, settings.registryPort());
    } catch (BindException e) {
      throw new EmbeddedKafka.PortTakenException(settings.registryPort());
    }
    started.add(registry);
    applyTopics();
    keys = keys(dir.resolve("keys"));
    Path configFile = writeConfig(dir);
    config = ConfigLoader.load(configFile, Map.of(), true);
    runtime =
        ServiceRuntime.start(
            config.app(),
            config.kafkaProperties(),
            config.serde(),
            "127.0.0.1",
            settings.httpPort(),
            KfmCommand.version());
    started.add(() -> runtime.close(RunCommand.SHUTDOWN_TIMEOUT));
    outputs =
        CommittedRecords.start(
            kafka.bootstrapServers(),
            List.of(config.app().topics().health(), config.app().topics().alerts()));
    if (settings.demo()) {
      demo =
          new Thread(
              () -> {
                try {
                  try (CaughtUpPacer pacer = demoPacer()) {
                    demoRecords =
                        DemoTraffic.publish(
                            kafka.bootstrapServers(),
                            config.app().topics().raw(),
                            Instant.now(),
                            pacer);
                  }
                  LOG.info(
                      "demo: {} records published to {}", demoRecords, config.app().topics().raw());
                } catch (InterruptedException | InterruptException e) {
                  Thread.currentThread().interrupt();
                } catch (Exception e) {
                  if (!closed.get()) {
                    LOG.warn("demo: publishing failed", e);
                  }
                }
              },
              "kfm-dev-demo");
      demo.setDaemon(true);
      demo.start();
    }
  }

  /** Paces the demo by the service's progress through every hop (see {@link CaughtUpPacer}). */
  private CaughtUpPacer demoPacer() {
    String applicationId =
        config
            .kafkaProperties()
            .getProperty(StreamsConfig.APPLICATION_ID_CONFIG, StreamsProperties.APPLICATION_ID);
    var topics = config.app().topics();
    return new CaughtUpPacer(
        Map.of("bootstrap.servers", kafka.bootstrapServers()),
        applicationId,
        List.of(
            topics.raw(),
            TelemetryTopology.dedupRepartitionTopic(applicationId),
            topics.valid(),
            config.app().health().repartitionTopic()),
        Duration.ofMillis(100),
        Duration.ofSeconds(3));
  }

  /**
   * The registry kfm dev runs: its schemas in the broker's compacted _schemas topic, so a restart
   * keeps their ids.
   */
  static EmbeddedSchemaRegistry registry(EmbeddedKafka kafka, int port) throws IOException {
    return EmbeddedSchemaRegistry.startDurable(
        port, kafka.bootstrapServers(), EmbeddedSchemaRegistry.DEFAULT_TOPIC, 1);
  }

  private void applyTopics() throws IOException {
    String yaml;
    try (InputStream in =
        DevMode.class.getResourceAsStream("/org/kfm/telemetry/" + TopicsFile.DEFAULT_NAME)) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<TopicSpec> specs =
        TopicsFile.parse(TopicsFile.DEFAULT_NAME, yaml).stream()
            .map(t -> t.withReplicationFactor((short) 1))
            .toList();
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    try (KafkaTopicAdmin admin = KafkaTopicAdmin.connect(props)) {
      Plan plan =
          TopicPlanner.plan(specs, admin.describe(specs.stream().map(TopicSpec::name).toList()));
      TopicApplier.apply(plan, admin, a -> LOG.debug("topics: {}", a.line()));
    }
  }

  /** The data dir's key pair: reused when it exists (a reused --data-dir), else generated. */
  private static KeyFiles keys(Path dir) throws IOException {
    Path privateKey = dir.resolve("alert-signing.key");
    Path publicKey = dir.resolve("alert-signing.pub");
    if (Files.exists(privateKey) && Files.exists(publicKey)) {
      return new KeyFiles(
          org.kfm.telemetry.contract.Ed25519Keys.keyId(
              org.kfm.telemetry.contract.Ed25519Keys.readPublicKey(publicKey)),
          privateKey,
          publicKey);
    }
    return KeyFiles.generate(dir, "alert-signing");
  }

  /**
   * The service configuration, written to {@code dataDir/kfm-dev.yaml} (usable with {@code kfm
   * run}).
   */
  private Path writeConfig(Path dir) throws IOException {
    String yaml =
        String.join(
            "\n",
            "# written by kfm dev: the configuration of the service it started",
            "kafka:",
            "  bootstrap.servers: " + kafka.bootstrapServers(),
            "  state.dir: " + quote(dir.resolve("streams").toAbsolutePath().toString()),
            "  # the broker's minimum: a restart on the same --data-dir waits this long for the last run's member",
            "  session.timeout.ms: 6000",
            "serde:",
            "  schema.registry.url: " + registry.url(),
            "validator:",
            "  trusted-keys:",
            "    - " + quote(keys.publicKey().toAbsolutePath().toString()),
            "health:",
            "  alerts:",
            "    signing-key: " + quote(keys.privateKey().toAbsolutePath().toString()),
            "http:",
            "  port: " + settings.httpPort(),
            "");
    Path file = dir.resolve("kfm-dev.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** The live counts. */
  record Counts(long valid, long dlq, long duplicates, long health, long alerts) {
    String line() {
      return "valid "
          + valid
          + " | dlq "
          + dlq
          + " | duplicates "
          + duplicates
          + " | health checks "
          + health
          + " | alerts "
          + alerts;
    }
  }

  Counts counts() {
    return new Counts(
        records("valid"),
        records("dlq"),
        records("duplicate"),
        outputs.count(config.app().topics().health()),
        outputs.count(config.app().topics().alerts()));
  }

  private long records(String outcome) {
    Counter c = runtime.meters().find("kfm.records").tag("outcome", outcome).counter();
    return c == null ? 0 : (long) c.count();
  }

  /** What kfm dev prints once everything runs. */
  List<String> banner() {
    String bootstrap = kafka.bootstrapServers();
    List<String> lines =
        new ArrayList<>(
            List.of(
                "kfm dev: everything runs in this process (Ctrl-C stops it)",
                "  kafka bootstrap:  " + bootstrap + "   (single-node KRaft broker, PLAINTEXT)",
                "  schema registry:  "
                    + registry.url()
                    + "   (embedded, schemas in topic "
                    + EmbeddedSchemaRegistry.DEFAULT_TOPIC
                    + ", dev/tests only)",
                "  ops http:         http://127.0.0.1:"
                    + runtime.httpPort()
                    + "   (status page /, /healthz /readyz /metrics /api/health-checks)",
                "  data dir:         " + settings.dataDir().toAbsolutePath(),
                "  config:           "
                    + settings.dataDir().resolve("kfm-dev.yaml").toAbsolutePath(),
                "  alert public key: "
                    + keys.publicKey().toAbsolutePath()
                    + "   (key id "
                    + keys.keyId()
                    + ")",
                "  topics:           "
                    + String.join(
                        ", ",
                        config.app().topics().raw(),
                        config.app().topics().valid(),
                        config.app().topics().dlq(),
                        config.app().topics().health(),
                        config.app().topics().alerts()),
                "try:",
                "  open http://127.0.0.1:"
                    + runtime.httpPort()
                    + "/   (the status page: pipeline health, alerts, dead letters)",
                "  jq -c . src/test/resources/seed-examples/pipeline-step.json | ./kfm produce --bootstrap-server "
                    + bootstrap
                    + " --topic "
                    + config.app().topics().raw()
                    + " -",
                "  kcat -b "
                    + bootstrap
                    + " -C -t "
                    + config.app().topics().dlq()
                    + " -f '%h\\n%s\\n\\n' -e",
                "  kcat -b "
                    + bootstrap
                    + " -C -t "
                    + config.app().topics().alerts()
                    + " -e > alerts.ndjson",
                "  ./kfm verify-alert --public-key "
                    + keys.publicKey().toAbsolutePath()
                    + " alerts.ndjson",
                "  curl -s http://127.0.0.1:" + runtime.httpPort() + "/api/health-checks"));
    if (settings.demo()) {
      lines.add(
          "demo: publishing to "
              + config.app().topics().raw()
              + " in the background: the seed examples, "
              + "a simulated day of 4 pipelines ending 2 h ago, 3 invalid records and 1 duplicate;");
      lines.add(
          "      "
              + DemoTraffic.LOW_ENERGY_PIPELINE
              + " reports energy on a third of its runs: expect its "
              + "KFM-TELEM-ENERGY-001 alert within a minute");
    }
    return lines;
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  String registryUrl() {
    return registry.url();
  }

  int httpPort() {
    return runtime.httpPort();
  }

  ServiceConfig config() {
    return config;
  }

  KeyFiles keyFiles() {
    return keys;
  }

  ServiceRuntime runtime() {
    return runtime;
  }

  /** Stops the service, the registry and the broker (reverse start order); idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (demo != null) {
      demo.interrupt();
    }
    if (outputs != null) {
      try {
        outputs.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed", started.get(i), e);
      }
    }
  }
}
