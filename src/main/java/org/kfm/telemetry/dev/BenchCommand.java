package org.kfm.telemetry.dev;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.kfm.telemetry.app.KfmCommand;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.dev.bench.BenchReport;
import org.kfm.telemetry.dev.bench.BenchRun;
import org.kfm.telemetry.dev.bench.BenchTraffic;
import org.kfm.telemetry.dev.bench.BenchVariant;
import org.kfm.telemetry.dev.bench.DrainResult;
import org.kfm.telemetry.dev.bench.LatencyProbe;
import org.kfm.telemetry.dev.bench.RestoreResult;
import org.kfm.telemetry.routing.Warmup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kfm bench}: the service's throughput and latency against a plain Kafka Streams
 * passthrough, on an in-process broker of its own or a running one ({@code --bootstrap-server}).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the service against Kafka itself, on an in-process single-node broker in this JVM "
          + "(or a running one given with --bootstrap-server): "
          + "seeded realistic traffic (all the contract's kinds, many pipelines and runs, ~5 %% invalid, "
          + "~1 %% duplicates on another partition, some CloudEvents) is loaded into an unread topic, then "
          + "drained by fresh applications, alternating trials of: a passthrough of the same bytes, a "
          + "passthrough of the service's shape (its hops, repartitions and changelogged stores, no logic), "
          + "and the service (exactly_once_v2, at_least_once, without health checks). Then produce-to-output "
          + "latency at a fixed offered load. Prints a Markdown report (records/s and MB/s end to end and "
          + "steady, ratios to the passthroughs, CPU by thread group, heap, RSS, latency p50/p99). "
          + "Takes minutes; not part of the tests."
    })
public final class BenchCommand implements Callable<Integer> {

  /** The in-process broker's raw topic; on one given with --bootstrap-server it carries a tag. */
  private static final String RAW = "bench.raw";

  @Spec CommandSpec spec;

  @Option(
      names = "--records",
      defaultValue = "100000",
      paramLabel = "N",
      description = "Raw records per trial (default: ${DEFAULT-VALUE}).")
  int records;

  @Option(
      names = "--trials",
      defaultValue = "3",
      paramLabel = "N",
      description =
          "Trials of each variant, alternating (default: ${DEFAULT-VALUE}; 0 with --restore: only the restore).")
  int trials;

  @Option(
      names = "--variants",
      split = ",",
      paramLabel = "VARIANT",
      description =
          "Which to run (default: all): PASSTHROUGH, SHAPE, SERVICE_EOS, SERVICE_ALOS, SERVICE_NO_HEALTH.")
  List<BenchVariant> variants;

  @Option(
      names = "--partitions",
      defaultValue = "12",
      paramLabel = "N",
      description =
          "Partitions of the raw and valid topics (default: ${DEFAULT-VALUE}, as topics.yaml).")
  int partitions;

  @Option(
      names = "--threads",
      defaultValue = "1",
      paramLabel = "N",
      description = "Stream threads of every application (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--kafka",
      paramLabel = "KEY=VALUE",
      description =
          "A Kafka Streams or client property for every application the benchmark runs, over the"
              + " service's settings and the benchmark's own (commit.interval.ms=100); repeat for"
              + " several, e.g. --kafka commit.interval.ms=500 to measure a setting's effect.")
  Map<String, String> kafkaOverrides = new LinkedHashMap<>();

  @Option(
      names = "--pipelines",
      defaultValue = "1000",
      paramLabel = "N",
      description = "Pipelines the generated runs belong to (default: ${DEFAULT-VALUE}).")
  int pipelines;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "N",
      description = "Seed of the generated traffic (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--latency-rate",
      defaultValue = "5000",
      paramLabel = "N",
      description =
          "Records per second offered in the latency runs; 0 skips them (default: ${DEFAULT-VALUE}).")
  int latencyRate;

  @Option(
      names = "--latency-seconds",
      defaultValue = "30",
      paramLabel = "S",
      description =
          "How long each latency run offers records (default: ${DEFAULT-VALUE}; the first third, at most 5 s, is warm-up).")
  int latencySeconds;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Broker logs (unless --bootstrap-server) and streams state (default: a new temp directory,"
              + " deleted at the end).")
  Path dataDir;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the report to FILE.")
  Path out;

  @Option(
      names = "--bootstrap-server",
      paramLabel = "HOST:PORT",
      description =
          "Measure on this running broker or cluster (PLAINTEXT, e.g. kfm dev's) instead of an"
              + " in-process one, so that the applications run in a JVM of their own, as kfm run"
              + " does. Every topic and group the benchmark makes there is named bench-<tag>-..."
              + " and deleted at the end.")
  String bootstrap;

  @Option(
      names = "--restore",
      description =
          "After the trials, drain once more with the service (exactly_once_v2), delete its state"
              + " directory and time a fresh instance restoring every store from the changelogs.")
  boolean restore;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description =
          "Before the first trial, route N other generated records through the service's"
              + " per-record path (validation, routing, Avro encoding and decoding; written"
              + " nowhere), to measure what warming up a fresh JVM changes (default: 0: the first"
              + " trial of each variant runs in a JVM that has compiled none of its code).")
  int warmup;

  @Option(
      names = "--write-ndjson",
      paramLabel = "FILE",
      description =
          "Only write the values of the generated traffic (--records, --seed) to FILE as NDJSON,"
              + " for kfm validate and other tools; no broker is started.")
  Path ndjson;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    KfmCommand.atLeast("--records", records, 1);
    KfmCommand.atLeast("--pipelines", pipelines, 1);
    KfmCommand.atLeast("--partitions", partitions, 1);
    if (ndjson != null) {
      return writeNdjson(err);
    }
    KfmCommand.atLeast("--trials", trials, 0);
    KfmCommand.atLeast("--threads", threads, 1);
    KfmCommand.atLeast("--latency-rate", latencyRate, 0);
    KfmCommand.atLeast("--latency-seconds", latencySeconds, 1);
    KfmCommand.atLeast("--warmup", warmup, 0);
    quietTransactionRetries();
    Path dir =
        dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("kfm-bench");
    // On a broker of its own the names need no tag; on a shared one, this run's names are its own.
    String prefix =
        bootstrap == null
            ? "bench"
            : "bench-" + Long.toString(System.currentTimeMillis(), Character.MAX_RADIX);
    String raw = bootstrap == null ? RAW : prefix + ".raw";
    try (EmbeddedKafka kafka =
        bootstrap == null ? EmbeddedKafka.start(dir, 0, Duration.ofSeconds(60)) : null) {
      String servers = kafka != null ? kafka.bootstrapServers() : bootstrap;
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
        if (bootstrap != null) {
          requireReachable(admin);
        }
        try {
          measure(admin, servers, prefix, raw, dir, err);
        } finally {
          if (bootstrap != null) {
            deleteTopicsAndGroups(admin, prefix, err);
          }
        }
      }
      return 0;
    } finally {
      if (dataDir == null) {
        deleteQuietly(dir);
      }
    }
  }

  private void measure(
      Admin admin, String servers, String prefix, String raw, Path dir, PrintWriter err)
      throws Exception {
    List<BenchVariant> chosen = variants == null ? List.of(BenchVariant.values()) : variants;
    admin.createTopics(List.of(BenchRun.newTopic(raw, partitions))).all().get(30, TimeUnit.SECONDS);
    BenchTraffic traffic =
        new BenchTraffic(seed, partitions, pipelines, Instant.now(), eventSpan(records));
    long bytes = load(servers, raw, traffic, err);
    BenchRun run =
        new BenchRun(
            admin,
            servers,
            prefix,
            raw,
            partitions,
            threads,
            kafkaOverrides,
            dir.resolve("state"),
            Duration.ofMinutes(30));
    if (warmup > 0) {
      Warmup.Result warm =
          Warmup.run(
              AppConfig.defaults(),
              new BenchTraffic(seed + 2, partitions, pipelines, Instant.now(), eventSpan(warmup))
                  .records(raw, warmup),
              Duration.ofMinutes(1));
      err.printf(
          Locale.ROOT,
          "warm-up: %,d records routed in %.1f s%n",
          warm.records(),
          warm.took().toMillis() / 1000.0);
      err.flush();
    }
    BenchReport report = new BenchReport();
    Random order = new Random(seed);
    for (int trial = 1; trial <= trials; trial++) {
      List<BenchVariant> round = new ArrayList<>(chosen);
      Collections.shuffle(round, order);
      for (BenchVariant variant : round) {
        DrainResult result = run.drain(variant, trial, records, bytes);
        err.printf(
            Locale.ROOT,
            "trial %d %-55s %8.1f s %,10.0f records/s%n",
            trial,
            variant.label(),
            result.seconds(),
            result.recordsPerSecond());
        err.flush();
        report.add(result);
      }
    }
    if (latencyRate > 0) {
      LatencyProbe probe =
          new LatencyProbe(
              admin, servers, prefix, partitions, threads, kafkaOverrides, dir.resolve("state"));
      for (BenchVariant variant : List.of(BenchVariant.PASSTHROUGH, BenchVariant.SERVICE_EOS)) {
        if (chosen.contains(variant)) {
          err.printf(
              "latency: %s at %,d records/s for %d s%n",
              variant.label(), latencyRate, latencySeconds);
          err.flush();
          report.add(
              probe.measure(
                  variant,
                  new BenchTraffic(
                      seed + 1,
                      partitions,
                      pipelines,
                      Instant.now().plusSeconds(latencySeconds),
                      Duration.ofSeconds(latencySeconds)),
                  latencyRate,
                  Duration.ofSeconds(latencySeconds),
                  Duration.ofSeconds(Math.min(5, latencySeconds / 3))));
        }
      }
    }
    if (restore) {
      err.printf("restore: draining with %s, then restoring%n", BenchVariant.SERVICE_EOS.label());
      err.flush();
      RestoreResult restored = run.drainAndRestore(BenchVariant.SERVICE_EOS, records, bytes);
      err.printf(Locale.ROOT, "restore: %.1f s%n", restored.seconds());
      err.flush();
      report.add(restored);
      report.add(restored.drain());
    }
    String markdown = report.markdown(header(bytes));
    spec.commandLine().getOut().print(markdown);
    spec.commandLine().getOut().flush();
    if (out != null) {
      Files.writeString(out, markdown, StandardCharsets.UTF_8);
    }
  }

  /**
   * Fails with one line when the broker given with --bootstrap-server does not answer within 15 s.
   */
  private void requireReachable(Admin admin) throws InterruptedException {
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(15_000))
          .clusterId()
          .get(20, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new KfmCommand.UserException(
          "cannot reach Kafka at "
              + bootstrap
              + " ("
              + cause.getMessage()
              + "): is the broker up and the address right? (--bootstrap-server takes a PLAINTEXT"
              + " listener, e.g. kfm dev's)");
    }
  }

  /**
   * On a broker given with --bootstrap-server: deletes the topics and groups this run made there.
   */
  private static void deleteTopicsAndGroups(Admin admin, String prefix, PrintWriter err) {
    try {
      List<String> topics =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(t -> t.startsWith(prefix + "-") || t.startsWith(prefix + "."))
              .toList();
      admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
      List<String> groups =
          admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
              .map(g -> g.groupId())
              .filter(g -> g.startsWith(prefix + "-"))
              .toList();
      admin.deleteConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
      err.printf(
          "deleted %d topics and %d groups named %s-*%n", topics.size(), groups.size(), prefix);
    } catch (Exception e) {
      err.printf("could not delete every topic and group named %s-*: %s%n", prefix, e.getMessage());
    }
    err.flush();
  }

  /**
   * Every trial starts fresh transactional producers, and transactions v2 makes the first send of
   * each transaction retry (CONCURRENT_TRANSACTIONS, OUT_OF_ORDER_SEQUENCE_NUMBER) until the broker
   * has its state: a broker ERROR and a client WARN per partition, hundreds per trial, that the
   * clients resolve themselves (the counts stay exact). They would bury the report, so the two
   * loggers that write them go quiet here (slf4j-simple reads these properties when a logger is
   * first created, i.e. when the broker and the clients start).
   */
  private static void quietTransactionRetries() {
    System.setProperty("org.slf4j.simpleLogger.log.kafka.server.ReplicaManager", "off");
    System.setProperty(
        "org.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.internals.Sender", "error");
  }

  private int writeNdjson(PrintWriter err) throws IOException {
    BenchTraffic traffic =
        new BenchTraffic(seed, partitions, pipelines, Instant.now(), eventSpan(records));
    long[] bytes = {0};
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(ndjson), 1 << 16)) {
      traffic.forEach(
          RAW,
          records,
          record -> {
            try {
              file.write(record.value());
              file.write('\n');
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            bytes[0] += record.value().length + 1;
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    err.printf(
        Locale.ROOT, "kfm bench: %,d records (%,d bytes) in %s%n", records, bytes[0], ndjson);
    err.flush();
    return 0;
  }

  /**
   * The event time the preloaded records cover: as if produced at 100 records/s (so that a drain
   * crosses about as many hourly evaluations as that much real traffic would, not a day's worth).
   */
  private static Duration eventSpan(int records) {
    return Duration.ofMillis(10L * records);
  }

  /** Loads the raw topic once (acks=all); returns the bytes of keys and values loaded. */
  private long load(String bootstrapServers, String raw, BenchTraffic traffic, PrintWriter err)
      throws Exception {
    long[] bytes = {0};
    AtomicReference<Exception> failed = new AtomicReference<>();
    Map<String, Object> props =
        Map.of(
            "bootstrap.servers",
            bootstrapServers,
            "linger.ms",
            10,
            "batch.size",
            262144,
            "acks",
            "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      traffic.forEach(
          raw,
          records,
          record -> {
            bytes[0] += (record.key() == null ? 0 : record.key().length) + record.value().length;
            producer.send(
                record,
                (metadata, e) -> {
                  if (e != null) {
                    failed.compareAndSet(null, e);
                  }
                });
          });
      producer.flush();
    }
    if (failed.get() != null) {
      throw new IllegalStateException(
          "could not load " + raw + ": " + failed.get().getMessage(), failed.get());
    }
    err.printf(
        Locale.ROOT,
        "loaded %,d records (%.1f MB) into %s, %d partitions%n",
        records,
        bytes[0] / 1e6,
        raw,
        partitions);
    err.flush();
    return bytes[0];
  }

  private String header(long bytes) {
    Runtime rt = Runtime.getRuntime();
    return String.format(
        Locale.ROOT,
        "`kfm bench --records %d --trials %d --partitions %d --threads %d --pipelines %d --seed %d%s`: "
            + "%,d raw records (%.1f MB, %.0f bytes each on average) per trial; %s; "
            + "%d processors, max heap %d MB, %s %s, %s.",
        records,
        trials,
        partitions,
        threads,
        pipelines,
        seed,
        (warmup > 0 ? " --warmup " + warmup : "")
            + (bootstrap != null ? " --bootstrap-server " + bootstrap : "")
            + kafkaOverrides.entrySet().stream()
                .map(e -> " --kafka " + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining()),
        records,
        bytes / 1e6,
        (double) bytes / records,
        bootstrap == null
            ? "one in-process broker in the same JVM"
            : "the broker at " + bootstrap + ", outside this JVM",
        rt.availableProcessors(),
        rt.maxMemory() >> 20,
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        ManagementFactory.getOperatingSystemMXBean().getName());
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }
}
