package org.kfm.telemetry.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka cluster per test class, PLAINTEXT, in this JVM: by default a single broker in
 * KRaft combined mode (one node is controller and broker) with settings tuned for a fast start and
 * for exactly-once on one broker, or {@link #replicated} brokers beside a controller of their own;
 * and the class's schema registry ({@link #registry()}, started at first use). Register it as a
 * static field:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final InProcessKafka KAFKA = new InProcessKafka();
 * </pre>
 *
 * and read {@link #bootstrapServers()} in tests. Its log directories live under {@code
 * target/kafka-clusters/} and are deleted when the class is done.
 */
public final class InProcessKafka implements BeforeAllCallback, AfterAllCallback {

  /** Broker settings: fast heartbeats and rebalances, and replication 1 for the internal topics. */
  static final Map<String, String> BROKER_SETTINGS =
      Map.of(
          "broker.heartbeat.interval.ms", "250",
          "broker.session.timeout.ms", "2000",
          "group.initial.rebalance.delay.ms", "0",
          "offsets.topic.replication.factor", "1",
          "offsets.topic.num.partitions", "1",
          "transaction.state.log.replication.factor", "1",
          "transaction.state.log.min.isr", "1",
          "transaction.state.log.num.partitions", "1",
          "auto.create.topics.enable", "false");

  /**
   * Settings on top of {@link #BROKER_SETTINGS} for a cluster of three or more brokers: replication
   * 3 and at least 2 in-sync replicas for the internal topics and for topics created without a
   * replication factor, as in production.
   */
  static final Map<String, String> REPLICATED_SETTINGS =
      Map.of(
          "offsets.topic.replication.factor", "3",
          "transaction.state.log.replication.factor", "3",
          "transaction.state.log.min.isr", "2",
          "default.replication.factor", "3",
          "min.insync.replicas", "2",
          "unclean.leader.election.enable", "false");

  private final int brokers;
  private final Map<String, String> extraSettings;
  private final TestRegistry registry = new TestRegistry();
  private KafkaClusterTestKit cluster;

  /** A broker with {@link #BROKER_SETTINGS}. */
  public InProcessKafka() {
    this(Map.of());
  }

  /**
   * A broker with {@link #BROKER_SETTINGS} and {@code extraSettings} on top (e.g. a short retention
   * check).
   */
  public InProcessKafka(Map<String, String> extraSettings) {
    this(1, extraSettings);
  }

  private InProcessKafka(int brokers, Map<String, String> extraSettings) {
    this.brokers = brokers;
    this.extraSettings = Map.copyOf(extraSettings);
  }

  /**
   * A cluster of {@code brokers} brokers (at least 3) and one controller in a node of its own, so
   * that any broker can be stopped ({@link #cluster()}) while the quorum stays up; with {@link
   * #REPLICATED_SETTINGS} and {@code extraSettings} on top.
   */
  public static InProcessKafka replicated(int brokers, Map<String, String> extraSettings) {
    if (brokers < 3) {
      throw new IllegalArgumentException("a replicated cluster has at least 3 brokers: " + brokers);
    }
    Map<String, String> settings = new java.util.HashMap<>(REPLICATED_SETTINGS);
    settings.putAll(extraSettings);
    return new InProcessKafka(brokers, settings);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path base = Files.createDirectories(Path.of("target", "kafka-clusters"));
    Path dir =
        Files.createTempDirectory(base, context.getRequiredTestClass().getSimpleName() + "-");
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(brokers == 1)
            .setNumControllerNodes(1)
            .setNumBrokerNodes(brokers)
            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
            .setBaseDirectory(dir.toAbsolutePath())
            .build();
    KafkaClusterTestKit.Builder builder =
        new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
    BROKER_SETTINGS.forEach(builder::setConfigProp);
    extraSettings.forEach(builder::setConfigProp);
    cluster = builder.build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception | Error e) {
      cluster.close();
      cluster = null;
      throw e;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    registry.close();
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  /**
   * The class's test schema registry (an HTTP Confluent-API registry with a request log), started
   * at first use.
   */
  public FakeSchemaRegistry registry() {
    return registry.get();
  }

  /**
   * The running cluster, for fault injection ({@code brokers().get(id).shutdown()}, {@code
   * restartBroker}); valid between beforeAll and afterAll.
   */
  public KafkaClusterTestKit cluster() {
    bootstrapServers();
    return cluster;
  }

  /** {@code host:port} of the broker's PLAINTEXT listener; valid between beforeAll and afterAll. */
  public String bootstrapServers() {
    if (cluster == null) {
      throw new IllegalStateException(
          "the cluster is not running: register InProcessKafka with @RegisterExtension"
              + " on a static field");
    }
    return cluster.bootstrapServers();
  }
}
