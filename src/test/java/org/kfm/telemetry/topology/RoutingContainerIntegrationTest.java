package org.kfm.telemetry.topology;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.kfm.telemetry.testing.FakeSchemaRegistry;
import org.kfm.telemetry.testing.TestRegistry;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@link RoutingEndToEndScenario} on the {@code apache/kafka} image in Docker, where Docker exists;
 * skipped where it does not (the in-process {@link RoutingIntegrationTest} runs everywhere).
 */
@Testcontainers(disabledWithoutDocker = true)
class RoutingContainerIntegrationTest extends RoutingEndToEndScenario {

  /** The image; override with {@code -Dkfm.it.kafka.image=...}. */
  private static final String IMAGE =
      System.getProperty("kfm.it.kafka.image", "apache/kafka:4.4.0");

  @Container
  static final KafkaContainer KAFKA =
      new KafkaContainer(IMAGE)
          .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
          .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
          .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
          .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");

  @RegisterExtension static final TestRegistry REGISTRY = new TestRegistry();

  @Override
  protected String bootstrapServers() {
    return KAFKA.getBootstrapServers();
  }

  @Override
  protected FakeSchemaRegistry registry() {
    return REGISTRY.get();
  }
}
