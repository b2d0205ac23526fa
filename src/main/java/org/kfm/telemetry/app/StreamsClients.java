package org.kfm.telemetry.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * The Kafka clients of the stream threads, as Kafka Streams' default supplier makes them, except
 * that a stream thread's main consumer can be told to leave its group when it is closed ({@link
 * #leaveGroupOnClose}).
 *
 * <p>Why: when a stream thread dies and is replaced ({@link StreamsFailureHandler}), Kafka Streams
 * 4.4 closes the dying thread's consumer without leaving the group (classic protocol, static or
 * dynamic member alike) and the replacement joins as a new member. The group's rebalance then waits
 * for the dead member's session to time out ({@code session.timeout.ms}: 45 s by default, 60 s in
 * the Helm chart) before any partition is processed again. Leaving on close ends that member at
 * once. The Admin API cannot do it for a dynamic member (it removes members by {@code
 * group.instance.id} only), the consumer itself can.
 *
 * <p>Only the classic group protocol goes through a supplier's {@link #getConsumer}; with {@code
 * group.protocol=streams} Kafka Streams makes its consumers itself and this changes nothing.
 */
final class StreamsClients implements KafkaClientSupplier {

  /** What a stream thread's main consumer's {@code client.id} adds to the thread's name. */
  private static final String CONSUMER_SUFFIX = "-consumer";

  private final Map<String, MainConsumer> mainConsumers = new ConcurrentHashMap<>();

  @Override
  public Admin getAdmin(Map<String, Object> config) {
    return Admin.create(config);
  }

  @Override
  public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
    MainConsumer consumer = new MainConsumer(config);
    if (consumer.clientId != null) {
      mainConsumers.put(consumer.clientId, consumer);
    }
    return consumer;
  }

  @Override
  public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Makes the main consumer of the stream thread named {@code threadName} leave its group when
   * Kafka Streams closes it, whatever close option Streams gives.
   *
   * @return false when no open main consumer of that thread is known
   */
  boolean leaveGroupOnClose(String threadName) {
    MainConsumer consumer = mainConsumers.get(threadName + CONSUMER_SUFFIX);
    if (consumer == null) {
      return false;
    }
    consumer.leave = true;
    return true;
  }

  /** A main consumer that can be told to leave its group when closed. */
  private final class MainConsumer extends KafkaConsumer<byte[], byte[]> {

    private final String clientId;
    private volatile boolean leave;

    MainConsumer(Map<String, Object> config) {
      super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      Object id = config.get(CommonClientConfigs.CLIENT_ID_CONFIG);
      this.clientId = id == null ? null : id.toString();
    }

    /** Kafka Streams closes its main consumers with this method. */
    @Override
    public void close(CloseOptions options) {
      if (clientId != null) {
        mainConsumers.remove(clientId, this);
      }
      super.close(
          leave
              ? options.withGroupMembershipOperation(
                  CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
              : options);
    }
  }
}
