package org.kfm.telemetry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.kfm.telemetry.serde.SpecificAvroSerde;

/**
 * What a downstream consumer sees of some topics: every partition read from the beginning, {@code
 * read_committed}, with no consumer group, until a condition holds; the test fails when a deadline,
 * counted from {@link #fromBeginning}, passes first.
 */
public final class CommittedReader implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Duration pollTimeout;
  private final long deadline;
  private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

  private CommittedReader(
      Map<String, Object> clientSettings,
      Collection<String> topics,
      Duration deadline,
      Duration pollTimeout) {
    this.deadline = System.nanoTime() + deadline.toNanos();
    this.pollTimeout = pollTimeout;
    Map<String, Object> settings = new HashMap<>(clientSettings);
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumer =
        new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /**
   * A reader of every partition of {@code topics}, from the beginning, that gives up {@code
   * deadline} from now and waits up to {@code pollTimeout} in each poll.
   */
  public static CommittedReader fromBeginning(
      String bootstrapServers, Collection<String> topics, Duration deadline, Duration pollTimeout) {
    return fromBeginning(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        topics,
        deadline,
        pollTimeout);
  }

  /**
   * As {@link #fromBeginning(String, Collection, Duration, Duration)}, with the consumer's client
   * settings ({@code bootstrap.servers}, and {@code security.protocol}, {@code sasl.*}, {@code
   * ssl.*} for a secured cluster).
   */
  public static CommittedReader fromBeginning(
      Map<String, Object> clientSettings,
      Collection<String> topics,
      Duration deadline,
      Duration pollTimeout) {
    return new CommittedReader(clientSettings, topics, deadline, pollTimeout);
  }

  /** Every record read so far, in the order read (a live view). */
  public List<ConsumerRecord<byte[], byte[]>> records() {
    return Collections.unmodifiableList(records);
  }

  /** The records of {@code topic} read so far, in the order read. */
  public List<ConsumerRecord<byte[], byte[]>> records(String topic) {
    return records.stream().filter(r -> r.topic().equals(topic)).toList();
  }

  /**
   * Polls until {@code done} holds; fails past the deadline, described by {@code progress}.
   *
   * @see #pollUntil(BooleanSupplier, Runnable, Supplier)
   */
  public void pollUntil(BooleanSupplier done, Supplier<String> progress) {
    pollUntil(done, () -> {}, progress);
  }

  /**
   * Polls until {@code done} holds: after each poll that leaves it false, runs {@code check} (which
   * fails the test by throwing when what is awaited can no longer come, e.g. the service died),
   * then fails if the deadline has passed, described by {@code progress}.
   */
  public void pollUntil(BooleanSupplier done, Runnable check, Supplier<String> progress) {
    while (true) {
      consumer.poll(pollTimeout).forEach(records::add);
      if (done.getAsBoolean()) {
        return;
      }
      check.run();
      assertThat(System.nanoTime()).as(progress).isLessThan(deadline);
    }
  }

  /**
   * Polls up to the last stable offset of every partition as it is now: nothing committed is left
   * unread. Fails as {@link #pollUntil(BooleanSupplier, Runnable, Supplier)} does.
   */
  public void drainToEnd(Runnable check, Supplier<String> progress) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
    pollUntil(
        () -> ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue()),
        check,
        progress);
  }

  /** {@link #drainToEnd(Runnable, Supplier)} with nothing to check but the deadline. */
  public void drainToEnd(Supplier<String> progress) {
    drainToEnd(() -> {}, progress);
  }

  /**
   * A deserializer of Confluent-wire-format Avro values into {@code type}, with the schemas of the
   * registry at {@code registryUrl} ({@code mock://scope} or HTTP).
   */
  public static <T extends SpecificRecord> Deserializer<T> avroValues(
      Class<T> type, String registryUrl) {
    SpecificAvroSerde<T> serde = new SpecificAvroSerde<>();
    serde.configure(
        Map.of("schema.registry.url", registryUrl, "specific.avro.reader", true), false);
    return serde.deserializer();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
