package org.kfm.telemetry.dev.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.kfm.telemetry.config.AlertSigning;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.config.Topics;
import org.kfm.telemetry.contract.Ed25519Keys;
import org.kfm.telemetry.topology.StreamsProperties;
import org.kfm.telemetry.topology.TelemetrySerdes;
import org.kfm.telemetry.topology.TelemetryTopology;

/**
 * What one benchmark trial runs over the preloaded raw topic: a plain Kafka Streams passthrough
 * (one hop), a passthrough of the service's shape (its hops, repartition topics and changelogged
 * stores, with no logic), or the service itself (exactly-once or at-least-once, with or without
 * health checks). Every variant uses the same partitions and stream threads.
 */
public enum BenchVariant {
  PASSTHROUGH("passthrough, 1 hop, exactly_once_v2"),
  SHAPE("passthrough of the service's shape, exactly_once_v2"),
  SERVICE_EOS("service, exactly_once_v2"),
  SERVICE_ALOS("service, at_least_once"),
  SERVICE_NO_HEALTH("service without health checks, exactly_once_v2");

  private final String label;

  BenchVariant(String label) {
    this.label = label;
  }

  /** What it is, for the report. */
  public String label() {
    return label;
  }

  /** The topics a trial writes, named after its application id (raw is shared by all trials). */
  public static Topics topics(String raw, String applicationId) {
    return new Topics(
        raw,
        applicationId + ".valid",
        applicationId + ".dlq",
        applicationId + ".health",
        applicationId + ".alerts");
  }

  /** The user topics (not Streams-managed) a trial of this variant needs besides raw. */
  public List<String> outputTopics(String raw, String applicationId) {
    Topics t = topics(raw, applicationId);
    return switch (this) {
      case PASSTHROUGH -> List.of(t.valid());
      case SHAPE -> List.of(t.valid(), byScope(applicationId));
      default -> List.of(t.valid(), t.dlq(), t.health(), t.alerts(), byScope(applicationId));
    };
  }

  /**
   * The topic the variant writes its records for downstream consumers to (latency is measured on
   * it).
   */
  public String outputTopic(String raw, String applicationId) {
    return topics(raw, applicationId).valid();
  }

  /** The application's configuration for a trial. */
  public AppConfig config(String raw, String applicationId) {
    AppConfig defaults = AppConfig.defaults().withTopicsFor(topics(raw, applicationId));
    AppConfig config =
        defaults.withHealth(
            defaults
                .health()
                .withRepartitionTopic(byScope(applicationId))
                .withSigning(throwawayKey()));
    return this == SERVICE_NO_HEALTH ? config.withoutHealth() : config;
  }

  /** The topology, built as main builds it for service variants. */
  public Topology topology(String raw, String applicationId, SimpleMeterRegistry meters) {
    return switch (this) {
      case PASSTHROUGH -> passthrough(raw, topics(raw, applicationId).valid());
      case SHAPE -> shape(raw, topics(raw, applicationId).valid(), byScope(applicationId));
      default ->
          TelemetryTopology.build(
              config(raw, applicationId),
              TelemetrySerdes.of(Map.of("schema.registry.url", "mock://" + applicationId)),
              meters,
              "bench");
    };
  }

  /**
   * The Streams settings: the service's own, with the variant's processing guarantee, then {@code
   * overrides} (kfm bench's {@code --kafka}) over all of them.
   */
  public Properties properties(
      String raw,
      String applicationId,
      String bootstrapServers,
      int threads,
      Map<String, String> overrides) {
    Properties props = StreamsProperties.of(config(raw, applicationId), "bench");
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(threads));
    props.put(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        this == SERVICE_ALOS ? StreamsConfig.AT_LEAST_ONCE : StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    // The exactly-once default for every variant: a trial ends when all is committed, and
    // at_least_once's own default (30 s) would measure the commit interval.
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    props.putAll(overrides);
    return props;
  }

  private static String byScope(String applicationId) {
    return applicationId + ".health-by-scope";
  }

  private static Topology passthrough(String raw, String out) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(raw, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("source"))
        .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("sink"));
    return builder.build();
  }

  /**
   * The service's shape without its logic: raw → repartition by a hash of the value → a
   * changelogged window store put → the valid topic; the valid topic → a changelogged key-value put
   * per record, one record in four forwarded (as the run tracker forwards terminal events) → a
   * topic keyed by scope → a changelogged key-value put.
   */
  private static Topology shape(String raw, String valid, String byScope) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                "dedup-store", Duration.ofHours(24), Duration.ofHours(24), false),
            Serdes.ByteArray(),
            Serdes.Long()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore("run-store"), Serdes.ByteArray(), Serdes.ByteArray()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore("panes-store"), Serdes.ByteArray(), Serdes.ByteArray()));
    builder.stream(raw, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("source"))
        .process(HashKey::new, Named.as("hash-key"))
        .repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("by-hash"))
        .process(() -> new WindowPut("dedup-store"), Named.as("dedup-put"), "dedup-store")
        .to(valid, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("valid-sink"));
    builder.stream(
            valid, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("valid-source"))
        .process(() -> new KeyValuePut("run-store", 4), Named.as("run-put"), "run-store")
        .to(byScope, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("scope-sink"));
    builder.stream(
            byScope, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("scope-source"))
        .process(
            () -> new KeyValuePut("panes-store", Integer.MAX_VALUE),
            Named.as("pane-put"),
            "panes-store");
    return builder.build();
  }

  private static AlertSigning throwawayKey() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return new AlertSigning(pair.getPrivate(), Ed25519Keys.keyId(pair.getPublic()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }

  /** Keys a record by the hash of its value (the service keys by the payload's digest). */
  private static final class HashKey implements Processor<byte[], byte[], byte[], byte[]> {
    private ProcessorContext<byte[], byte[]> context;

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      int hash = java.util.Arrays.hashCode(record.value());
      byte[] key = {(byte) (hash >>> 24), (byte) (hash >>> 16), (byte) (hash >>> 8), (byte) hash};
      context.forward(record.withKey(key));
    }
  }

  /** Puts every record's key in a window store and forwards it. */
  private static final class WindowPut implements Processor<byte[], byte[], byte[], byte[]> {
    private final String store;
    private ProcessorContext<byte[], byte[]> context;
    private WindowStore<byte[], Long> seen;

    WindowPut(String store) {
      this.store = store;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
      this.context = context;
      this.seen = context.getStateStore(store);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      seen.put(record.key(), record.timestamp(), record.timestamp());
      context.forward(record);
    }
  }

  /** Puts every record in a key-value store (a 64-byte value) and forwards one in {@code every}. */
  private static final class KeyValuePut implements Processor<byte[], byte[], byte[], byte[]> {
    private final String store;
    private final int every;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<byte[], byte[]> values;
    private long count;

    KeyValuePut(String store, int every) {
      this.store = store;
      this.every = every;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
      this.context = context;
      this.values = context.getStateStore(store);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      byte[] key = record.key() == null ? new byte[0] : record.key();
      values.put(key, new byte[64]);
      if (++count % every == 0) {
        context.forward(record.withValue(new byte[64]));
      }
    }
  }
}
