package org.kfm.telemetry.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.health.HealthMetrics;
import org.kfm.telemetry.health.HealthWindows;
import org.kfm.telemetry.health.Pane;
import org.kfm.telemetry.health.RunChange;
import org.kfm.telemetry.health.RunOutcome;
import org.kfm.telemetry.health.RunTracker;
import org.kfm.telemetry.health.ScopeState;
import org.kfm.telemetry.health.StateSerdes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One hourly evaluation of every scope by {@link HealthWindows}, on its real (RocksDB) stores, with
 * {@code runs} checked runs in the 24 h window spread over 1,000 pipelines (and the fleet scope).
 * Each invocation first adds the next hour's runs (not timed), then times the stream-time
 * punctuation that evaluates the window ending at that hour for all 1,001 scopes. Store sizes are
 * printed at the end. Run: {@code ./mvnw -B -Pbench test-compile exec:exec -Dbench.args="-f 1 -wi 3
 * -i 10 HealthWindowsBenchmark"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HealthWindowsBenchmark {

  private static final int PIPELINES = 1_000;
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  @Param({"10000", "100000", "1000000"})
  public int runs;

  private final Random random = new Random(42);
  private File stateDir;
  private MockProcessorContext<String, HealthCheck> context;
  private HealthWindows windows;
  private KeyValueStore<String, Pane> panes;
  private KeyValueStore<String, ScopeState> scopes;
  private org.apache.kafka.streams.processor.Punctuator streamTimePunctuator;
  private long hour;
  private long runSeq;

  @Setup(Level.Trial)
  public void load() throws IOException {
    stateDir = Files.createTempDirectory("health-bench").toFile();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "health-bench");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir);
    panes =
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore("panes"), Serdes.String(), StateSerdes.panes())
            .withLoggingDisabled()
            .build();
    scopes =
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore("scopes"), Serdes.String(), StateSerdes.scopes())
            .withLoggingDisabled()
            .build();
    panes.init(context.getStateStoreContext(), panes);
    scopes.init(context.getStateStoreContext(), scopes);
    HealthConfig config = HealthConfig.defaults();
    windows =
        new HealthWindows("panes", "scopes", config, new HealthMetrics(new SimpleMeterRegistry()));
    windows.init(context);
    streamTimePunctuator =
        context.scheduledPunctuators().stream()
            .filter(p -> p.getType() == PunctuationType.STREAM_TIME)
            .findFirst()
            .orElseThrow()
            .getPunctuator();
    long started = System.nanoTime();
    for (hour = 0; hour < 24; hour++) {
      addHourOfRuns();
    }
    System.out.printf(
        "%n[health-bench] %,d runs (%,d run changes) loaded in %.1f s%n",
        runs, 2L * runs, (System.nanoTime() - started) / 1e9);
    evaluateHour(); // the first evaluation of every scope: the steady state starts at the next hour
  }

  @Setup(Level.Invocation)
  public void nextHour() {
    hour++;
    addHourOfRuns();
  }

  /** One hourly evaluation of every scope (1,000 pipelines and the fleet). */
  @Benchmark
  public int evaluateHour() {
    context.setCurrentStreamTimeMs(T0 + (hour + 1) * HOUR);
    context.setCurrentSystemTimeMs(T0 + (hour + 1) * HOUR);
    streamTimePunctuator.punctuate(T0 + (hour + 1) * HOUR);
    int emitted = context.forwarded().size();
    context.resetForwards();
    return emitted;
  }

  @TearDown(Level.Trial)
  public void report() throws IOException {
    System.out.printf(
        "%n[health-bench] runs=%,d: pane store %,d entries, scope store %,d entries%n",
        runs, count(panes), count(scopes));
    panes.close();
    scopes.close();
    try (var files = Files.walk(stateDir.toPath())) {
      files.sorted(Comparator.reverseOrder()).map(java.nio.file.Path::toFile).forEach(File::delete);
    }
  }

  private static long count(KeyValueStore<String, ?> store) {
    long n = 0;
    try (var it = store.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  /**
   * The runs whose terminal events fall in the current hour, each sent to its pipeline and to the
   * fleet.
   */
  private void addHourOfRuns() {
    int perHour = runs / 24;
    long start = T0 + hour * HOUR;
    for (int i = 0; i < perHour; i++) {
      long at = start + (long) (random.nextDouble() * HOUR);
      String pipeline = "kfm.bench.pipeline-" + random.nextInt(PIPELINES);
      RunOutcome run =
          new RunOutcome(
              "run-" + runSeq++,
              pipeline,
              at,
              random.nextInt(100) < 97,
              random.nextInt(100) < 90,
              false);
      context.setCurrentStreamTimeMs(at);
      context.setCurrentSystemTimeMs(at);
      windows.process(new Record<>(pipeline, new RunChange(null, run, at), at));
      windows.process(new Record<>(RunTracker.FLEET, new RunChange(null, run, at), at));
    }
  }
}
