package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Which stream thread's consumer {@link StreamsClients#leaveGroupOnClose} finds (that the consumer
 * then leaves its group is proven on a real broker by {@code GroupMembershipIntegrationTest}).
 */
class StreamsClientsTest {

  private static Map<String, Object> mainConsumerConfig(String clientId) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", "127.0.0.1:1"); // never contacted: nothing is polled
    config.put("group.id", "streams-clients-test");
    config.put("client.id", clientId);
    return config;
  }

  @Test
  void shouldFindTheMainConsumerOfAStreamThreadByTheThreadsName() {
    StreamsClients clients = new StreamsClients();
    try (Consumer<byte[], byte[]> first =
            clients.getConsumer(mainConsumerConfig("app-1-StreamThread-1-consumer"));
        Consumer<byte[], byte[]> second =
            clients.getConsumer(mainConsumerConfig("app-1-StreamThread-2-consumer"))) {
      assertThat(clients.leaveGroupOnClose("app-1-StreamThread-2")).isTrue();
      assertThat(clients.leaveGroupOnClose("app-1-StreamThread-3")).isFalse();
      assertThat(clients.leaveGroupOnClose("app-1-StreamThread-1-consumer")).isFalse();
    }
  }

  @Test
  void shouldForgetAConsumerOnceItIsClosed() {
    StreamsClients clients = new StreamsClients();
    Consumer<byte[], byte[]> consumer =
        clients.getConsumer(mainConsumerConfig("app-1-StreamThread-1-consumer"));
    assertThat(clients.leaveGroupOnClose("app-1-StreamThread-1")).isTrue();

    consumer.close(CloseOptions.timeout(Duration.ZERO));

    assertThat(clients.leaveGroupOnClose("app-1-StreamThread-1")).isFalse();
  }

  @Test
  void shouldKeepTheNewConsumerOfAThreadIndexUsedAgain() {
    // Kafka Streams gives a replacement thread the lowest index whose thread is dead, so a name
    // comes back: the old consumer's close must not forget the new one
    StreamsClients clients = new StreamsClients();
    Consumer<byte[], byte[]> old =
        clients.getConsumer(mainConsumerConfig("app-1-StreamThread-1-consumer"));
    try (Consumer<byte[], byte[]> renewed =
        clients.getConsumer(mainConsumerConfig("app-1-StreamThread-1-consumer"))) {
      old.close(CloseOptions.timeout(Duration.ZERO));
      assertThat(clients.leaveGroupOnClose("app-1-StreamThread-1")).isTrue();
    }
  }
}
