package org.kfm.telemetry.dev;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Paces the dev demo by the service itself: between two simulated hours it waits until the
 * service's consumer group has committed every input topic to its end (the hour went through every
 * hop: validation, de-duplication, run tracking, windows), for at most a bound. Without it a day
 * replayed in seconds reaches some tasks hours (simulated) before others, and a window closed by
 * the tasks ahead misses the runs still on their way.
 */
final class CaughtUpPacer implements DemoTraffic.Pacer, AutoCloseable {

  private static final long POLL_MS = 50;

  private final Admin admin;
  private final String groupId;
  private final List<String> topics;
  private final Duration atLeast;
  private final Duration atMost;

  CaughtUpPacer(
      Map<String, Object> adminProperties,
      String groupId,
      List<String> topics,
      Duration atLeast,
      Duration atMost) {
    this.admin = Admin.create(adminProperties);
    this.groupId = groupId;
    this.topics = List.copyOf(topics);
    this.atLeast = atLeast;
    this.atMost = atMost;
  }

  @Override
  public void betweenHours() throws InterruptedException {
    Thread.sleep(atLeast.toMillis());
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!caughtUp() && System.nanoTime() < deadline) {
      Thread.sleep(POLL_MS);
    }
  }

  /**
   * Whether the group's committed offsets reached the (read-committed) end of every partition of
   * the topics.
   */
  boolean caughtUp() throws InterruptedException {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (TopicDescription topic :
          admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS).values()) {
        topic
            .partitions()
            .forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      var ends =
          admin
              .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
              .all()
              .get(5, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get(5, TimeUnit.SECONDS);
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata offset = committed.get(tp);
        if (ends.get(tp).offset() > (offset == null ? 0 : offset.offset())) {
          return false;
        }
      }
      return true;
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return false; // e.g. an internal topic not created yet: not caught up
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
