package org.kfm.telemetry.dev.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
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
  private final String raw;
  private final int partitions;
  private final int threads;
  private final Path stateRoot;
  private final Duration timeout;

  public BenchRun(
      Admin admin,
      String bootstrapServers,
      String raw,
      int partitions,
      int threads,
      Path stateRoot,
      Duration timeout) {
    this.admin = admin;
    this.bootstrapServers = bootstrapServers;
    this.raw = raw;
    this.partitions = partitions;
    this.threads = threads;
    this.stateRoot = stateRoot;
    this.timeout = timeout;
  }

  /**
   * Drains the {@code records} raw records ({@code bytes} of keys and values) with a fresh
   * application.
   */
  public DrainResult drain(BenchVariant variant, int trial, long records, long bytes)
      throws Exception {
    String applicationId = applicationId(variant, "drain-" + trial);
    createOutputs(variant, applicationId);
    Topology topology = variant.topology(raw, applicationId, new SimpleMeterRegistry());
    Properties props = variant.properties(raw, applicationId, bootstrapServers, threads);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateRoot.resolve(applicationId).toString());
    GroupLag lag = new GroupLag(admin, applicationId, sourceTopics(topology, applicationId));
    KafkaStreams streams = new KafkaStreams(topology, props);
    try {
      ResourceSampler sampler = new ResourceSampler(applicationId);
      long start = System.nanoTime();
      streams.start();
      long at20 = -1;
      long at80 = -1;
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
        if (at20 < 0 && done >= records / 5) {
          at20 = now;
        }
        if (at80 < 0 && done >= records * 4 / 5) {
          at80 = now;
        }
        if (done >= records && snapshot.lag() == 0) {
          double seconds = (now - start) / 1e9;
          double steady = at80 > at20 ? 0.6 * records / ((at80 - at20) / 1e9) : records / seconds;
          return new DrainResult(
              variant,
              trial,
              records,
              bytes,
              seconds,
              steady,
              sampler.cpuSeconds(),
              sampler.peakHeapBytes(),
              sampler.peakRssBytes());
        }
      }
    } finally {
      streams.close(Duration.ofSeconds(30));
      streams.cleanUp();
    }
  }

  /** A fresh application id for {@code variant}. */
  public static String applicationId(BenchVariant variant, String suffix) {
    return "bench-" + variant.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + suffix;
  }

  /**
   * Creates the user topics a trial writes (the input and Streams' own topics exist or are made by
   * it).
   */
  public void createOutputs(BenchVariant variant, String applicationId) throws Exception {
    List<NewTopic> topics = new ArrayList<>();
    for (String topic : variant.outputTopics(raw, applicationId)) {
      int count = topic.endsWith(".valid") ? partitions : Math.max(1, partitions / 2);
      topics.add(new NewTopic(topic, count, (short) 1));
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
