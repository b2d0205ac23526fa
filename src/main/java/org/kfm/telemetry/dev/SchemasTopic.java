package org.kfm.telemetry.dev;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded registry's durable {@link SchemasLog}: a compacted one-partition Kafka topic
 * (Confluent's {@code _schemas} layout), created when missing, read to its end once at start and
 * then only written, each write acknowledged by all in-sync replicas before {@link #append}
 * returns. It assumes it is the topic's only writer (one dev registry per cluster); a second
 * registry writing the same topic would not see the first one's writes until restarted.
 */
final class SchemasTopic implements SchemasLog {

  private static final Logger LOG = LoggerFactory.getLogger(SchemasTopic.class);

  /** Where the topic is: {@code replicationFactor} 0 means min(3, number of brokers). */
  record Settings(String bootstrapServers, String topic, int replicationFactor, Duration timeout) {}

  private final Settings settings;
  private final KafkaProducer<byte[], byte[]> producer;

  private SchemasTopic(Settings settings, KafkaProducer<byte[], byte[]> producer) {
    this.settings = settings;
    this.producer = producer;
  }

  /**
   * Creates the topic if needed, hands every entry up to its current end to {@code replay}, then
   * opens for writes.
   */
  static SchemasTopic open(Settings settings, Consumer<SchemasTopicFormat.Entry> replay) {
    Properties common = new Properties();
    common.put("bootstrap.servers", settings.bootstrapServers());
    common.put("default.api.timeout.ms", String.valueOf(settings.timeout().toMillis()));
    try (Admin admin = Admin.create(common)) {
      ensureTopic(admin, settings);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaException(
          "Could not create or describe the schemas topic "
              + settings.topic()
              + " on "
              + settings.bootstrapServers()
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException(
          "Interrupted while creating the schemas topic " + settings.topic(), e);
    }
    int entries = read(settings, common, replay);
    LOG.info("schema registry: {} entries read from {}", entries, settings.topic());
    Properties producerProps = new Properties();
    producerProps.putAll(common);
    producerProps.put("acks", "all");
    producerProps.put("enable.idempotence", "true");
    producerProps.put("linger.ms", "0");
    producerProps.put("max.block.ms", String.valueOf(settings.timeout().toMillis()));
    producerProps.put(
        "request.timeout.ms", String.valueOf(Math.min(settings.timeout().toMillis(), 30_000)));
    producerProps.put(
        "delivery.timeout.ms", String.valueOf(Math.max(settings.timeout().toMillis(), 30_000)));
    producerProps.remove("default.api.timeout.ms");
    return new SchemasTopic(
        settings,
        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer()));
  }

  private static void ensureTopic(Admin admin, Settings settings)
      throws ExecutionException, InterruptedException, TimeoutException {
    long timeout = settings.timeout().toMillis();
    int brokers = admin.describeCluster().nodes().get(timeout, TimeUnit.MILLISECONDS).size();
    short replication =
        (short)
            (settings.replicationFactor() > 0
                ? settings.replicationFactor()
                : Math.min(3, brokers));
    NewTopic topic =
        new NewTopic(settings.topic(), 1, replication)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      admin.createTopics(List.of(topic)).all().get(timeout, TimeUnit.MILLISECONDS);
      LOG.info(
          "schema registry: created the compacted topic {} (replication {})",
          settings.topic(),
          replication);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    TopicDescription description =
        whenKnown(() -> admin.describeTopics(List.of(settings.topic())).allTopicNames(), timeout)
            .get(settings.topic());
    if (description.partitions().size() != 1) {
      throw new KafkaException(
          "The schemas topic "
              + settings.topic()
              + " has "
              + description.partitions().size()
              + " partitions; a schema registry needs exactly one (as Confluent's does)");
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, settings.topic());
    String policy =
        whenKnown(() -> admin.describeConfigs(List.of(resource)).all(), timeout)
            .get(resource)
            .get(TopicConfig.CLEANUP_POLICY_CONFIG)
            .value();
    if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy)) {
      LOG.warn(
          "schema registry: the schemas topic {} has cleanup.policy={}, not compact: old schemas may be deleted",
          settings.topic(),
          policy);
    }
  }

  /**
   * The result of an Admin call about the topic, asked again while a broker answers that it does
   * not know the topic: right after the create, the broker asked may not have the new topic in its
   * metadata yet (seen with a fresh in-process broker).
   */
  static <T> T whenKnown(Supplier<KafkaFuture<T>> call, long timeoutMillis)
      throws ExecutionException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      try {
        return call.get().get(Math.max(1, left), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || left <= 100) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * Replays the topic from the beginning to the end it had when the read started: the number of
   * entries.
   */
  private static int read(
      Settings settings, Properties common, Consumer<SchemasTopicFormat.Entry> replay) {
    Properties props = new Properties();
    props.putAll(common);
    props.put("enable.auto.commit", "false");
    TopicPartition partition = new TopicPartition(settings.topic(), 0);
    int entries = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      long deadline = System.nanoTime() + settings.timeout().toNanos();
      while (consumer.position(partition) < end) {
        if (System.nanoTime() > deadline) {
          throw new KafkaException(
              "Could not read the schemas topic "
                  + settings.topic()
                  + " to its end (offset "
                  + end
                  + ") within "
                  + settings.timeout());
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          SchemasTopicFormat.Entry entry = SchemasTopicFormat.parse(record.key(), record.value());
          if (entry != null) {
            replay.accept(entry);
            entries++;
          }
        }
      }
    }
    return entries;
  }

  @Override
  public void append(SchemasTopicFormat.Entry entry) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            settings.topic(),
            0,
            SchemasTopicFormat.bytes(entry.key()),
            SchemasTopicFormat.bytes(entry.value()));
    try {
      producer.send(record).get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw RegistryError.store(
          "Error in the backend data store: could not write to " + settings.topic() + ": " + cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryError.store("Interrupted while writing to " + settings.topic());
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
