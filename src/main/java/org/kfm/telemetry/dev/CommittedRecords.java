package org.kfm.telemetry.dev;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the committed records on some topics from their beginning, in a background thread, until
 * closed: what {@code kfm dev}'s status line shows of the health and alerts topics.
 */
final class CommittedRecords implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CommittedRecords.class);

  private final String bootstrapServers;
  private final List<String> topics;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread thread;

  private CommittedRecords(String bootstrapServers, List<String> topics) {
    this.bootstrapServers = bootstrapServers;
    this.topics = List.copyOf(topics);
    topics.forEach(t -> counts.put(t, new AtomicLong()));
    this.thread = new Thread(this::watch, "kfm-dev-watcher");
    thread.setDaemon(true);
  }

  /** Starts counting the records of {@code topics} (read_committed). */
  static CommittedRecords start(String bootstrapServers, List<String> topics) {
    CommittedRecords records = new CommittedRecords(bootstrapServers, topics);
    records.thread.start();
    return records;
  }

  /** The records of {@code topic} counted so far. */
  long count(String topic) {
    AtomicLong count = counts.get(topic);
    return count == null ? 0 : count.get();
  }

  private void watch() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("key.deserializer", ByteArrayDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    props.put("isolation.level", "read_committed");
    props.put("enable.auto.commit", "false");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer
            .partitionsFor(topic)
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!closed.get()) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> counts.get(r.topic()).incrementAndGet());
      }
    } catch (InterruptException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!closed.get()) {
        LOG.warn("the dev-mode watcher of {} stopped", topics, e);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (closed.compareAndSet(false, true)) {
      thread.join(2000);
    }
  }
}
