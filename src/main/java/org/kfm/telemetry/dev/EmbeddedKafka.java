package org.kfm.telemetry.dev;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker in this JVM for {@code kfm dev}: KRaft in combined mode (node 1
 * is broker and controller, a static one-voter quorum), a PLAINTEXT listener on 127.0.0.1:{@code
 * port} and a controller listener on a free port, replication 1 for the internal topics, logs under
 * {@code dataDir/kafka}. The log directory is formatted as {@code kafka-storage.sh format} does (an
 * already formatted directory is reused). For development only.
 */
final class EmbeddedKafka implements AutoCloseable {

  /**
   * Broker settings for one node: replication 1 everywhere, fast group starts, no auto-created
   * topics.
   */
  static final Map<String, String> SINGLE_NODE =
      Map.ofEntries(
          Map.entry("offsets.topic.replication.factor", "1"),
          Map.entry("offsets.topic.num.partitions", "1"),
          Map.entry("transaction.state.log.replication.factor", "1"),
          Map.entry("transaction.state.log.min.isr", "1"),
          Map.entry("transaction.state.log.num.partitions", "1"),
          Map.entry("share.coordinator.state.topic.replication.factor", "1"),
          Map.entry("share.coordinator.state.topic.min.isr", "1"),
          Map.entry("default.replication.factor", "1"),
          Map.entry("min.insync.replicas", "1"),
          Map.entry("group.initial.rebalance.delay.ms", "0"),
          Map.entry("auto.create.topics.enable", "false"),
          // Kafka 4 rejects records stamped more than 1 h ahead; the validator accepts 24 h of skew
          // (max-future-skew)
          Map.entry("log.message.timestamp.after.max.ms", String.valueOf(25 * 3600 * 1000L)));

  private static final String CONTROLLER = "CONTROLLER";

  private final KafkaRaftServer server;
  private final int port;

  private EmbeddedKafka(KafkaRaftServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * Formats (if needed) and starts the broker; returns once it answers a describeCluster.
   *
   * @throws PortTakenException when {@code port} cannot be bound (nothing was started)
   */
  static EmbeddedKafka start(Path dataDir, int port, Duration timeout) throws Exception {
    int kafkaPort = port == 0 ? freePort() : checkFree(port);
    int controllerPort = freePort();
    Path logs = Files.createDirectories(dataDir.resolve("kafka"));
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + kafkaPort + "," + CONTROLLER + "://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + kafkaPort);
    props.put("controller.listener.names", CONTROLLER);
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
    props.put("log.dirs", logs.toAbsolutePath().toString());
    props.putAll(SINGLE_NODE);
    KafkaConfig config = KafkaConfig.fromProps(props, false);

    // what `kafka-storage.sh format --cluster-id ID --config server.properties` does (static
    // quorum); a directory formatted by an earlier run (a reused --data-dir) keeps its cluster id
    // and data
    if (!Files.exists(logs.resolve("meta.properties"))) {
      format(logs);
    }

    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    EmbeddedKafka kafka = new EmbeddedKafka(server, kafkaPort);
    try {
      server.startup();
      kafka.awaitReady(timeout);
    } catch (Exception | Error e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  /** Formats {@code logs} (data and metadata log) for node 1 of a new cluster. */
  private static void format(Path logs) throws Exception {
    new Formatter()
        .setPrintStream(
            new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
        .setNodeId(1)
        .setClusterId(Uuid.randomUuid().toString())
        .setDirectories(List.of(logs.toAbsolutePath().toString()))
        .setMetadataLogDirectory(logs.toAbsolutePath().toString())
        .setControllerListenerName(CONTROLLER)
        .setReleaseVersion(MetadataVersion.latestProduction())
        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
        .setUnstableFeatureVersionsEnabled(false)
        .setIgnoreFormatted(true)
        .run();
  }

  /** {@code 127.0.0.1:port}. */
  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  private void awaitReady(Duration timeout) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers());
    props.put("default.api.timeout.ms", String.valueOf(timeout.toMillis()));
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  /** A port that was free a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** {@code port} if it can be bound on the loopback address, else a {@link PortTakenException}. */
  static int checkFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return port;
    } catch (IOException e) {
      throw new PortTakenException(port);
    }
  }

  /** A port kfm dev needs is in use. */
  static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortTakenException(int port) {
      super("port " + port + " is already in use");
    }
  }
}
