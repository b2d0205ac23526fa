package org.kfm.telemetry.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.kfm.telemetry.contract.PayloadSignatures;
import org.kfm.telemetry.routing.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last 24 hours of the alerts topic and the dead-letter topic, for the status page: a consumer
 * of its own (no group, every partition assigned, read_committed) starts at the first record of 24
 * hours ago (by record timestamp) and follows both topics, keeping the recent alerts (at most
 * {@link #MAX_ALERTS}, each checked against the alert public key) and per-minute dead-letter counts
 * by rule. Because it reads every partition, every instance answers for the whole application.
 * Until it has read up to the end offsets it found at start, its answers say {@code caught_up:
 * false}.
 */
public final class RecentRecords implements Recent {

  /** How far back the page looks. */
  public static final Duration SPAN = Duration.ofHours(24);

  /** The most alerts kept (the newest). */
  static final int MAX_ALERTS = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(RecentRecords.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MINUTE = 60_000L;
  private static final Duration RETRY = Duration.ofSeconds(5);

  private final Properties client;
  private final String alertsTopic;
  private final String dlqTopic;
  private final PublicKey alertKey;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  // guarded by this
  private final ArrayDeque<ObjectNode> alerts = new ArrayDeque<>();
  private final TreeMap<Long, Map<String, Long>> deadLettersByMinute = new TreeMap<>();
  private Map<TopicPartition, Long> endsAtStart = Map.of();
  private boolean caughtUp;
  private String error;

  private RecentRecords(
      Properties client, String alertsTopic, String dlqTopic, PublicKey alertKey, Clock clock) {
    this.client = client;
    this.alertsTopic = alertsTopic;
    this.dlqTopic = dlqTopic;
    this.alertKey = alertKey;
    this.clock = clock;
    this.thread = new Thread(this::run, "kfm-ops-recent");
    this.thread.setDaemon(true);
  }

  /**
   * Starts following the two topics.
   *
   * @param kafka the service's Kafka properties (bootstrap servers and security settings are taken;
   *     Streams-only settings are left out)
   * @param alertKey the public key alerts are checked against (null: none configured, alerts are
   *     listed as not verified)
   */
  public static RecentRecords start(
      Properties kafka, String alertsTopic, String dlqTopic, PublicKey alertKey, Clock clock) {
    RecentRecords recent =
        new RecentRecords(clientProperties(kafka), alertsTopic, dlqTopic, alertKey, clock);
    recent.thread.start();
    return recent;
  }

  /** The consumer settings among {@code kafka} (no group: partitions are assigned, not joined). */
  static Properties clientProperties(Properties kafka) {
    Properties props = new Properties();
    for (String name : kafka.stringPropertyNames()) {
      if (ConsumerConfig.configNames().contains(name)) {
        props.put(name, kafka.get(name));
      }
    }
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    String app = kafka.getProperty("application.id", "kfm-telemetry-streams");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, app + "-ops-recent");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }

  private void run() {
    while (running) {
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(client)) {
        consumer = c;
        if (!running) {
          return;
        }
        follow(c);
      } catch (WakeupException | InterruptException e) {
        return;
      } catch (RuntimeException e) {
        synchronized (this) {
          error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        LOG.warn("ops: reading {} and {} failed ({}); retrying", alertsTopic, dlqTopic, error());
        try {
          Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void follow(KafkaConsumer<byte[], byte[]> c) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(alertsTopic, dlqTopic)) {
      c.partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    if (partitions.isEmpty()) {
      throw new IllegalStateException("topics " + alertsTopic + " and " + dlqTopic + " not found");
    }
    c.assign(partitions);
    long from = clock.millis() - SPAN.toMillis();
    Map<TopicPartition, Long> at = new HashMap<>();
    partitions.forEach(p -> at.put(p, from));
    Map<TopicPartition, OffsetAndTimestamp> starts = c.offsetsForTimes(at, Duration.ofSeconds(30));
    Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(30));
    for (TopicPartition p : partitions) {
      OffsetAndTimestamp start = starts.get(p);
      c.seek(p, start == null ? ends.get(p) : start.offset());
    }
    synchronized (this) {
      alerts.clear();
      deadLettersByMinute.clear();
      endsAtStart = new HashMap<>(ends);
      caughtUp = false;
      error = null;
    }
    while (running) {
      var records = c.poll(Duration.ofMillis(500));
      synchronized (this) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
          if (r.topic().equals(alertsTopic)) {
            alert(r);
          } else {
            deadLetter(r);
          }
        }
        prune();
        if (!caughtUp) {
          caughtUp =
              endsAtStart.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
        }
      }
    }
  }

  private void alert(ConsumerRecord<byte[], byte[]> r) {
    ObjectNode out = JSON.createObjectNode();
    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
    out.put("key", key);
    out.put("record_time", Instant.ofEpochMilli(r.timestamp()).toString());
    out.put("record_timestamp_ms", r.timestamp());
    out.put("offset", r.topic() + "/" + r.partition() + "/" + r.offset());
    JsonNode payload;
    try {
      payload = r.value() == null ? null : JSON.readTree(r.value());
    } catch (IOException e) {
      payload = null;
    }
    if (!(payload instanceof ObjectNode alert)) {
      out.put("status", "unreadable");
      out.put("verified", false);
      out.put("verification", "not a JSON object");
      add(out);
      return;
    }
    boolean firing = "fail".equals(alert.path("policy").path("decision").asText());
    out.put("status", firing ? "firing" : "resolved");
    out.put("scope", alert.path("target").path("pipeline").asText(scopeOf(key)));
    ArrayNode rules = out.putArray("rules");
    if (firing) {
      alert.path("policy").path("denies").forEach(d -> rules.add(d.path("rule_id").asText()));
    } else {
      int bar = key.indexOf('|');
      if (bar >= 0) {
        for (String rule : key.substring(bar + 1).split(",")) {
          rules.add(rule);
        }
      }
    }
    out.put("ts", alert.path("ts").asText());
    out.put("level", alert.path("level").asText());
    out.put("message", alert.path("message").asText());
    out.put("alert_id", alert.path("correlation").path("correlation_id").asText());
    out.put("key_id", alert.path("signature").path("key_id").asText(null));
    if (alertKey == null) {
      out.put("verified", false);
      out.put("verification", "no alert public key configured");
    } else {
      PayloadSignatures.Result result = PayloadSignatures.verify(alert.deepCopy(), alertKey);
      out.put("verified", result.isValid());
      out.put("verification", result.isValid() ? "signature valid" : result.reason());
    }
    add(out);
  }

  private static String scopeOf(String key) {
    int bar = key.indexOf('|');
    return bar < 0 ? key : key.substring(0, bar);
  }

  private void add(ObjectNode alert) {
    alerts.addLast(alert);
    while (alerts.size() > MAX_ALERTS) {
      alerts.removeFirst();
    }
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> r) {
    long minute = Math.floorDiv(r.timestamp(), MINUTE) * MINUTE;
    Map<String, Long> counts = deadLettersByMinute.computeIfAbsent(minute, m -> new TreeMap<>());
    for (String rule : DeadLetters.rules(r.headers())) {
      counts.merge(rule, 1L, Long::sum);
    }
    counts.merge("", 1L, Long::sum);
  }

  private void prune() {
    long from = clock.millis() - SPAN.toMillis();
    deadLettersByMinute.headMap(Math.floorDiv(from, MINUTE) * MINUTE).clear();
    for (Iterator<ObjectNode> it = alerts.iterator(); it.hasNext(); ) {
      if (it.next().path("record_timestamp_ms").asLong() < from) {
        it.remove();
      } else {
        break;
      }
    }
  }

  @Override
  public synchronized ObjectNode alerts(Duration span) {
    prune();
    long from = clock.millis() - span.toMillis();
    ObjectNode out = JSON.createObjectNode();
    describe(out, span);
    ArrayNode list = out.putArray("alerts");
    // newest first
    for (Iterator<ObjectNode> it = alerts.descendingIterator(); it.hasNext(); ) {
      ObjectNode alert = it.next();
      if (alert.path("record_timestamp_ms").asLong() >= from) {
        ObjectNode copy = alert.deepCopy();
        copy.remove("record_timestamp_ms");
        list.add(copy);
      }
    }
    return out;
  }

  @Override
  public synchronized ObjectNode deadLetters(Duration span) {
    prune();
    long from = Math.floorDiv(clock.millis() - span.toMillis(), MINUTE) * MINUTE;
    Map<String, long[]> byRule = new TreeMap<>(); // count, first minute, last minute
    long total = 0;
    for (var minute : deadLettersByMinute.tailMap(from).entrySet()) {
      for (var rule : minute.getValue().entrySet()) {
        if (rule.getKey().isEmpty()) {
          total += rule.getValue();
          continue;
        }
        long[] agg =
            byRule.computeIfAbsent(
                rule.getKey(), k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
        agg[0] += rule.getValue();
        agg[1] = Math.min(agg[1], minute.getKey());
        agg[2] = Math.max(agg[2], minute.getKey());
      }
    }
    ObjectNode out = JSON.createObjectNode();
    describe(out, span);
    out.put("dead_letters", total);
    ArrayNode rules = out.putArray("by_rule");
    byRule.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(
            e ->
                rules
                    .addObject()
                    .put("rule", e.getKey())
                    .put("count", e.getValue()[0])
                    .put("first_minute", Instant.ofEpochMilli(e.getValue()[1]).toString())
                    .put("last_minute", Instant.ofEpochMilli(e.getValue()[2]).toString()));
    return out;
  }

  private void describe(ObjectNode out, Duration span) {
    out.put("since", Instant.ofEpochMilli(clock.millis() - span.toMillis()).toString());
    out.put("caught_up", caughtUp);
    if (error != null) {
      out.put("error", error);
    }
  }

  private synchronized String error() {
    return error;
  }

  @Override
  public void close() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
