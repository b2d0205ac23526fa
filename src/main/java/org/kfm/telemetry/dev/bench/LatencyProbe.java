package org.kfm.telemetry.dev.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Produce-to-output latency at a fixed offered load: a fresh application of a {@link BenchVariant}
 * runs on an empty raw topic; records are produced at a fixed rate, each stamped with the time it
 * was sent (a header, which the service carries to {@code kfm.telemetry.valid}); a read-committed
 * consumer of the output measures when each becomes visible, until the output has been quiet for
 * {@link #QUIET} after the last send (a backlog's last records are counted, too).
 */
public final class LatencyProbe {

  /** The header carrying the send time (this JVM's nanoTime). */
  static final String SENT = "kfm.bench.sent-nanos";

  /** After the last send, the output is drained once nothing has come out for this long. */
  private static final Duration QUIET = Duration.ofSeconds(3);

  /** The longest the probe waits for a backlog to drain after the last send. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(120);

  private final Admin admin;
  private final String bootstrapServers;
  private final String prefix;
  private final int partitions;
  private final int threads;
  private final Map<String, String> overrides;
  private final Path stateRoot;

  public LatencyProbe(
      Admin admin,
      String bootstrapServers,
      String prefix,
      int partitions,
      int threads,
      Map<String, String> overrides,
      Path stateRoot) {
    this.admin = admin;
    this.bootstrapServers = bootstrapServers;
    this.prefix = prefix;
    this.partitions = partitions;
    this.threads = threads;
    this.overrides = Map.copyOf(overrides);
    this.stateRoot = stateRoot;
  }

  /**
   * The latencies (ms) of the records sent after {@code warmup}, at {@code rate} records per second
   * for {@code duration}.
   *
   * @param traffic where the records come from
   */
  public LatencyResult measure(
      BenchVariant variant, BenchTraffic traffic, int rate, Duration duration, Duration warmup)
      throws Exception {
    String applicationId = BenchRun.applicationId(prefix, variant, "latency");
    String raw = applicationId + ".raw";
    admin.createTopics(List.of(BenchRun.newTopic(raw, partitions))).all().get(30, TimeUnit.SECONDS);
    BenchRun run =
        new BenchRun(
            admin,
            bootstrapServers,
            prefix,
            raw,
            partitions,
            threads,
            overrides,
            stateRoot,
            duration);
    run.createOutputs(variant, applicationId);
    Properties props = variant.properties(raw, applicationId, bootstrapServers, threads, overrides);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateRoot.resolve(applicationId).toString());
    int count = (int) (rate * duration.toSeconds());
    List<ProducerRecord<byte[], byte[]>> records = traffic.records(raw, count);
    AtomicBoolean stop = new AtomicBoolean();
    List<Long> observed = new ArrayList<>();
    AtomicLong lastArrival = new AtomicLong(System.nanoTime());
    KafkaStreams streams =
        new KafkaStreams(variant.topology(raw, applicationId, new SimpleMeterRegistry()), props);
    try (KafkaProducer<byte[], byte[]> producer = producer();
        KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      String output = variant.outputTopic(raw, applicationId);
      List<TopicPartition> outputs = new ArrayList<>();
      consumer
          .partitionsFor(output)
          .forEach(p -> outputs.add(new TopicPartition(output, p.partition())));
      consumer.assign(outputs);
      consumer.seekToEnd(outputs);
      outputs.forEach(consumer::position);
      streams.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(3000); // tasks assigned and initialised
      long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      long warmupEnd = start + warmup.toNanos();
      Thread reader =
          new Thread(
              () -> {
                while (!stop.get()) {
                  for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    Header sent = r.headers().lastHeader(SENT);
                    long sentAt =
                        sent == null ? Long.MIN_VALUE : ByteBuffer.wrap(sent.value()).getLong();
                    long now = System.nanoTime();
                    lastArrival.set(now);
                    if (sentAt >= warmupEnd) {
                      synchronized (observed) {
                        observed.add(now - sentAt);
                      }
                    }
                  }
                }
              },
              "kfm-bench-latency-reader");
      reader.start();
      for (int i = 0; i < count; i++) {
        long due = start + (long) (i * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        ProducerRecord<byte[], byte[]> record = records.get(i);
        long now = System.nanoTime();
        record.headers().remove(SENT);
        record.headers().add(SENT, ByteBuffer.allocate(8).putLong(now).array());
        producer.send(record);
      }
      producer.flush();
      long sendSeconds = (System.nanoTime() - start) / 1_000_000_000L;
      // The last records come out: a backlog may still be draining, so wait until the output has
      // been quiet for QUIET (at most DRAIN_LIMIT), or its slowest records would go uncounted.
      long sent = System.nanoTime();
      lastArrival.set(sent);
      while (System.nanoTime() - lastArrival.get() < QUIET.toNanos()
          && System.nanoTime() - sent < DRAIN_LIMIT.toNanos()) {
        Thread.sleep(100);
      }
      stop.set(true);
      reader.join(2000);
      List<Long> measured;
      synchronized (observed) {
        measured = new ArrayList<>(observed);
      }
      return LatencyResult.of(variant, rate, sendSeconds, measured);
    } finally {
      // on every path, so that the group can be deleted from a shared broker
      BenchRun.closeLeavingGroup(streams);
    }
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("linger.ms", "1");
    props.put("acks", "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("isolation.level", "read_committed");
    props.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
