package org.kfm.telemetry.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.kfm.telemetry.routing.DeadLetterHeaders;
import org.kfm.telemetry.routing.DeadLetters;

/**
 * Reads the dead-letter topic for {@code kfm dlq}: every partition (no consumer group, nothing
 * committed), {@code read_committed}, from the first record written at or after a time (or from one
 * partition's offset) up to the end offsets found when the scan starts, so the scan ends even while
 * the service keeps writing.
 */
final class DeadLetterScan {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STALL = Duration.ofSeconds(30);

  /** Where a scan starts: at a time on every partition, or at an offset of one partition. */
  record From(Instant since, Integer partition, Long offset) {

    static From since(Instant since) {
      return new From(since, null, null);
    }

    /** {@code P:O}, as --offset takes it. */
    static From offset(String text) {
      int colon = text.indexOf(':');
      try {
        if (colon > 0) {
          int p = Integer.parseInt(text.substring(0, colon));
          long o = Long.parseLong(text.substring(colon + 1));
          if (p >= 0 && o >= 0) {
            return new From(null, p, o);
          }
        }
      } catch (NumberFormatException e) {
        // answered below
      }
      throw new KfmCommand.UserException(
          "--offset " + text + ": expected PARTITION:OFFSET, e.g. 0:1234");
    }
  }

  /** One dead letter, with what its headers and value say about it. */
  record Letter(
      ConsumerRecord<byte[], byte[]> record,
      List<String> rules,
      boolean redacted,
      String kind,
      String source,
      String producer) {

    String coordinates() {
      return record.topic() + " " + record.partition() + ":" + record.offset();
    }

    Instant time() {
      return Instant.ofEpochMilli(record.timestamp());
    }

    String header(String name) {
      return DeadLetters.value(record.headers(), name);
    }
  }

  private DeadLetterScan() {}

  /** The consumer settings of a scan, on top of the command's client properties. */
  static final Map<String, String> CONSUMER_FORCED =
      Map.of(
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          "read_committed",
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          "false",
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ByteArrayDeserializer.class.getName(),
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ByteArrayDeserializer.class.getName());

  static final Map<String, String> CONSUMER_DEFAULTS =
      Map.of(
          ConsumerConfig.CLIENT_ID_CONFIG, "kfm-dlq",
          ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000",
          ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");

  /** The consumer properties of a scan from the command's client options. */
  static Properties consumer(KafkaClientOptions kafka) {
    return kafka.properties(CONSUMER_DEFAULTS, ConsumerConfig.configNames(), CONSUMER_FORCED);
  }

  /**
   * Reads {@code topic} from {@code from} to its end at the start of the scan and gives each dead
   * letter that {@code select} accepts to {@code each}, in partition order; stops early when {@code
   * each} returns false.
   *
   * @throws KfmCommand.UserException when the topic does not exist, the partition is unknown, or
   *     the broker cannot be reached
   */
  static void scan(
      Properties consumer,
      String topic,
      From from,
      Predicate<Letter> select,
      Predicate<Letter> each) {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumer)) {
      List<PartitionInfo> infos;
      try {
        infos = c.partitionsFor(topic, Duration.ofSeconds(15));
      } catch (TimeoutException e) {
        throw new KfmCommand.UserException(
            "cannot reach Kafka at "
                + consumer.getProperty("bootstrap.servers")
                + " to read "
                + topic
                + " ("
                + e.getMessage()
                + ")");
      }
      if (infos == null || infos.isEmpty()) {
        throw new KfmCommand.UserException("topic " + topic + " does not exist");
      }
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : infos) {
        if (from.partition() == null || from.partition() == info.partition()) {
          partitions.add(new TopicPartition(topic, info.partition()));
        }
      }
      if (partitions.isEmpty()) {
        throw new KfmCommand.UserException(
            "--offset: " + topic + " has no partition " + from.partition());
      }
      partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
      Map<TopicPartition, Long> ends = c.endOffsets(partitions);
      for (TopicPartition p : partitions) {
        long end = ends.get(p);
        long start;
        if (from.offset() != null) {
          start = Math.min(from.offset(), end);
        } else {
          OffsetAndTimestamp at = c.offsetsForTimes(Map.of(p, from.since().toEpochMilli())).get(p);
          start = at == null ? end : at.offset();
        }
        if (start >= end) {
          continue;
        }
        c.assign(List.of(p));
        c.seek(p, start);
        if (!read(c, p, end, select, each)) {
          return;
        }
      }
    }
  }

  /** Reads one partition up to {@code end}; false when {@code each} asked to stop. */
  private static boolean read(
      KafkaConsumer<byte[], byte[]> c,
      TopicPartition p,
      long end,
      Predicate<Letter> select,
      Predicate<Letter> each) {
    long lastProgress = System.nanoTime();
    while (c.position(p) < end) {
      var records = c.poll(Duration.ofMillis(500));
      if (records.isEmpty()) {
        if (System.nanoTime() - lastProgress > STALL.toNanos()) {
          throw new KfmCommand.UserException(
              "reading " + p + " stalled at offset " + c.position(p) + " of " + end);
        }
        continue;
      }
      lastProgress = System.nanoTime();
      for (ConsumerRecord<byte[], byte[]> r : records.records(p)) {
        if (r.offset() >= end) {
          return true;
        }
        Letter letter = letter(r);
        if (select.test(letter) && !each.test(letter)) {
          return false;
        }
      }
    }
    return true;
  }

  static Letter letter(ConsumerRecord<byte[], byte[]> r) {
    String kind = null;
    String source = DeadLetters.value(r.headers(), "ce_source");
    JsonNode value = json(r.value());
    if (value != null && value.isObject()) {
      JsonNode data = value.get("data");
      boolean structured = value.has("specversion") && data != null && data.isObject();
      JsonNode payload = structured ? data : value;
      kind = payload.path("kind").isTextual() ? payload.get("kind").textValue() : null;
      if (structured && value.path("source").isTextual()) {
        source = value.get("source").textValue();
      }
    }
    return new Letter(
        r,
        DeadLetters.rules(r.headers()),
        DeadLetters.redacted(r.headers()),
        kind == null ? "(none)" : kind,
        source == null ? "(none)" : source,
        producer(r));
  }

  /**
   * The producer's client id, when it sent one as a {@code client.id} or {@code producer} header.
   */
  private static String producer(ConsumerRecord<byte[], byte[]> r) {
    for (String name : List.of("client.id", "client_id", "producer")) {
      Header h = r.headers().lastHeader(name);
      if (h != null && h.value() != null) {
        return new String(h.value(), StandardCharsets.UTF_8);
      }
    }
    return "(unknown)";
  }

  static JsonNode json(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  /** The findings the service recorded ({@code kfm.errors.json}), or none. */
  static JsonNode findings(Letter letter) {
    String text = letter.header(DeadLetterHeaders.FINDINGS_JSON);
    JsonNode parsed = text == null ? null : json(text.getBytes(StandardCharsets.UTF_8));
    return parsed == null ? JSON.createArrayNode() : parsed;
  }

  /** Counts per key, with the first and last record time of each. */
  static final class Groups {
    private final Map<String, long[]> byKey = new HashMap<>();

    void add(String key, long time) {
      long[] g = byKey.computeIfAbsent(key, k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
      g[0]++;
      g[1] = Math.min(g[1], time);
      g[2] = Math.max(g[2], time);
    }

    /** Most frequent first, then by key. */
    List<Map.Entry<String, long[]>> sorted() {
      List<Map.Entry<String, long[]>> out = new ArrayList<>(byKey.entrySet());
      out.sort(
          (a, b) ->
              a.getValue()[0] != b.getValue()[0]
                  ? Long.compare(b.getValue()[0], a.getValue()[0])
                  : a.getKey().compareTo(b.getKey()));
      return out;
    }
  }
}
