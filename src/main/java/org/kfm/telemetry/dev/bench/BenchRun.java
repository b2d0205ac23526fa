package org.kfm.telemetry.dev.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.kfm.telemetry.dev.GroupLag;

/**
 * Runs one trial: a fresh application of a {@link BenchVariant} drains the preloaded raw topic; the
 * trial ends when the application has committed every one of its input topics (raw, repartition
 * topics, the valid topic it re-reads, ...) to its end.
 */
public final class BenchRun {

  private static final long SAMPLE_MS = 100;

  private final Admin admin;
  private final String bootstrapServers;
  private final String prefix;
  private final String raw;
  private final int partitions;
  private final int threads;
  private final Map<String, String> overrides;
  private final Path stateRoot;
  private final Duration timeout;

  /**
   * @param prefix what the names of this benchmark's applications (and so of their topics and
   *     groups) start with
   */
  public BenchRun(
      Admin admin,
      String bootstrapServers,
      String prefix,
      String raw,
      int partitions,
      int threads,
      Map<String, String> overrides,
      Path stateRoot,
      Duration timeout) {
    this.admin = admin;
    this.bootstrapServers = bootstrapServers;
    this.prefix = prefix;
    this.raw = raw;
    this.partitions = partitions;
    this.threads = threads;
    this.overrides = Map.copyOf(overrides);
    this.stateRoot = stateRoot;
    this.timeout = timeout;
  }

  /**
   * Drains the {@code records} raw records ({@code bytes} of keys and values) with a fresh
   * application.
   */
  public DrainResult drain(BenchVariant variant, int trial, long records, long bytes)
      throws Exception {
    return drain(
        variant, trial, records, bytes, applicationId(prefix, variant, "drain-" + trial), false);
  }

  /**
   * Drains the raw topic with application {@code applicationId}, then, its state directory deleted,
   * times a fresh instance of it restoring every store from the changelogs.
   */
  public RestoreResult drainAndRestore(BenchVariant variant, long records, long bytes)
      throws Exception {
    String applicationId = applicationId(prefix, variant, "restore");
    DrainResult drained = drain(variant, 0, records, bytes, applicationId, true);
    Path dir = stateRoot.resolve(applicationId);
    try (var files = Files.walk(dir)) {
      files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Topology topology = variant.topology(raw, applicationId, new SimpleMeterRegistry());
    Properties props = variant.properties(raw, applicationId, bootstrapServers, threads, overrides);
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    Map<String, Long> restored = new ConcurrentSkipListMap<>();
    AtomicInteger restoring = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger ended = new AtomicInteger();
    // Kafka Streams reports RUNNING while its state updater still restores some tasks, and starts
    // restoring each store partition in turn: done is when every changelog partition that holds
    // anything has finished restoring.
    int toRestore = changelogPartitionsWithRecords(applicationId);
    KafkaStreams streams = new KafkaStreams(topology, props);
    streams.setGlobalStateRestoreListener(
        new StateRestoreListener() {
          @Override
          public void onRestoreStart(
              TopicPartition partition, String store, long startOffset, long endOffset) {
            started.incrementAndGet();
            restoring.incrementAndGet();
          }

          @Override
          public void onBatchRestored(
              TopicPartition partition, String store, long batchEndOffset, long numRestored) {
            restored.merge(store, numRestored, Long::sum);
          }

          @Override
          public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
            restoring.decrementAndGet();
            ended.incrementAndGet();
          }
        });
    try {
      long start = System.nanoTime();
      streams.start();
      while (streams.state() != KafkaStreams.State.RUNNING
          || started.get() == 0
          || restoring.get() > 0
          || ended.get() < toRestore) {
        Thread.sleep(20);
        if (System.nanoTime() - start > timeout.toNanos()
            || streams.state() == KafkaStreams.State.ERROR) {
          throw new IllegalStateException(
              "restore of " + applicationId + ": streams " + streams.state());
        }
      }
      return new RestoreResult(
          variant, records, (System.nanoTime() - start) / 1e9, restored, drained);
    } finally {
      closeLeavingGroup(streams);
      streams.cleanUp();
    }
  }

  private DrainResult drain(
      BenchVariant variant,
      int trial,
      long records,
      long bytes,
      String applicationId,
      boolean keepState)
      throws Exception {
    createOutputs(variant, applicationId);
    Topology topology = variant.topology(raw, applicationId, new SimpleMeterRegistry());
    Properties props = variant.properties(raw, applicationId, bootstrapServers, threads, overrides);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateRoot.resolve(applicationId).toString());
    GroupLag lag = new GroupLag(admin, applicationId, sourceTopics(topology, applicationId));
    KafkaStreams streams = new KafkaStreams(topology, props);
    try {
      ResourceSampler sampler = new ResourceSampler(applicationId);
      long start = System.nanoTime();
      streams.start();
      DrainProgress progress = new DrainProgress();
      while (true) {
        Thread.sleep(SAMPLE_MS);
        sampler.sample();
        long now = System.nanoTime();
        if (streams.state() == KafkaStreams.State.ERROR
            || streams.state() == KafkaStreams.State.NOT_RUNNING
            || now - start > timeout.toNanos()) {
          throw new IllegalStateException(
              variant
                  + " trial "
                  + trial
                  + ": streams "
                  + streams.state()
                  + " after "
                  + Duration.ofNanos(now - start).toSeconds()
                  + " s");
        }
        GroupLag.Snapshot snapshot = lag.read();
        if (snapshot == null) {
          continue;
        }
        long done = snapshot.committed(raw);
        progress.sample(now, done);
        if (done >= records && snapshot.lag() == 0) {
          double seconds = (now - start) / 1e9;
          Map<String, Double> cpu = sampler.cpuSeconds();
          double steady = progress.recordsPerSecondBetween(records / 5, records * 4 / 5);
          if (Double.isNaN(steady)) {
            steady = records / seconds;
          }
          return new DrainResult(
              variant,
              trial,
              records,
              bytes,
              seconds,
              steady,
              cpu,
              sampler.peakHeapBytes(),
              sampler.peakRssBytes(),
              progress.firstRecordsPerSecond(),
              progress.warmAfterRecords(steady),
              progress.recordsPerSecondBetween(records * 4 / 5, records),
              sampler.liveHeapBytes());
        }
      }
    } finally {
      // leave the group, or a restoring instance would first wait out this one's session (and the
      // group could not be deleted from a shared broker)
      closeLeavingGroup(streams);
      if (!keepState) {
        streams.cleanUp();
      }
    }
  }

  /** Closes {@code streams}, its members leaving their group at once (not at session timeout). */
  static void closeLeavingGroup(KafkaStreams streams) {
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
  }

  /** How many partitions of {@code applicationId}'s changelog topics hold records. */
  private int changelogPartitionsWithRecords(String applicationId) throws Exception {
    List<String> changelogs =
        admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
            .filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-changelog"))
            .toList();
    return (int)
        GroupLag.endOffsets(
                admin, changelogs, IsolationLevel.READ_UNCOMMITTED, Duration.ofSeconds(30))
            .values()
            .stream()
            .filter(end -> end > 0)
            .count();
  }

  /** A fresh application id for {@code variant}: {@code <prefix>-<variant>-<suffix>}. */
  public static String applicationId(String prefix, BenchVariant variant, String suffix) {
    return prefix + "-" + variant.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + suffix;
  }

  /**
   * A topic of {@code partitions} partitions with the broker's default replication factor (1 on the
   * in-process broker; what the cluster asks for on one given with {@code --bootstrap-server}).
   */
  public static NewTopic newTopic(String name, int partitions) {
    return new NewTopic(name, Optional.of(partitions), Optional.empty());
  }

  /**
   * Creates the user topics a trial writes (the input and Streams' own topics exist or are made by
   * it).
   */
  public void createOutputs(BenchVariant variant, String applicationId) throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    for (String topic : variant.outputTopics(raw, applicationId)) {
      int count = topic.endsWith(".valid") ? partitions : Math.max(1, partitions / 2);
      topics.add(newTopic(topic, count));
    }
    admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
  }

  /** Every topic the topology reads, with Streams' internal ones under their full names. */
  static List<String> sourceTopics(Topology topology, String applicationId) {
    List<String> sources = new ArrayList<>();
    for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
      for (TopologyDescription.Node node : sub.nodes()) {
        if (node instanceof TopologyDescription.Source source) {
          for (String topic : source.topicSet()) {
            sources.add(
                topic.endsWith("-repartition") && !topic.contains(".")
                    ? applicationId + "-" + topic
                    : topic);
          }
        }
      }
    }
    return sources;
  }
}
