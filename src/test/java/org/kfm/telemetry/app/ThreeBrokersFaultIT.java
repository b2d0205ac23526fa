package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.testing.CommittedReader;
import org.kfm.telemetry.testing.FaultFigures;
import org.kfm.telemetry.testing.InProcessKafka;
import org.kfm.telemetry.testing.OutputLedger;
import org.kfm.telemetry.testing.Ports;
import org.kfm.telemetry.testing.ServiceProcess;
import org.kfm.telemetry.validation.ContractCatalogue;

/**
 * Broker faults under exactly-once: three brokers (replication 3, min.insync.replicas 2) and {@code
 * kfm run} in a JVM of its own (exactly_once_v2, alerts on) while a paced idempotent producer
 * streams a few thousand distinct pipeline runs, some invalid, some of one pipeline without energy
 * reports in alternate 20-second slices so that its health checks fire and resolve alerts all
 * along.
 *
 * <ol>
 *   <li>The broker leading the most partitions of the raw and valid topics is stopped mid-stream:
 *       output goes on from the other two; the broker is started again and catches up.
 *   <li>Two brokers are stopped, so one remains: every partition has fewer in-sync replicas than
 *       required, acks=all writes and transactions cannot complete, and (measured by the
 *       read_committed end offsets) no output is committed while it lasts; one broker comes back
 *       and output resumes, then the other.
 * </ol>
 *
 * <p>Proven: the service never exits; every input key comes out exactly once across the valid topic
 * and the DLQ (none lost, none doubled, each on the topic its validity says); the alerts topic,
 * read read_committed, has at least one alert, no alert twice (rule set, scope, window and status),
 * and per key firing and resolved strictly alternate (the alert state store was neither lost nor
 * doubled). The time from each fault's end to the next committed output goes to {@link
 * FaultFigures}.
 */
class ThreeBrokersFaultIT {

  @RegisterExtension static final InProcessKafka KAFKA = InProcessKafka.replicated(3, Map.of());

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RAW = "kfm.telemetry.raw";
  private static final String VALID = "kfm.telemetry.valid";
  private static final String DLQ = "kfm.telemetry.dlq";
  private static final String ALERTS = "kfm.telemetry.alerts";

  private static final int RECORDS = 4_000;

  /** Partitions of every topic (topics.yaml's own count would only slow the start). */
  private static final int PARTITIONS = 2;

  /** Sent this many at a time, {@link #PACE} apart: 40 records a second. */
  private static final int BATCH = 10;

  private static final Duration PACE = Duration.ofMillis(250);

  /** One record in this many is invalid (a bad ts) and must be dead-lettered. */
  private static final int INVALID_EVERY = 10;

  /** Records {@code i % 20 == 5} belong to the pipeline whose energy reports come and go. */
  private static final String FLAPPING_PIPELINE = "kfm.faults.energy_flapping";

  private static final String PIPELINE = "kfm.faults.steady";

  /**
   * The flapping pipeline reports no energy in every other slice of this length (two whole health
   * windows of 10 s): its windows alternate between 0 % and 100 % energy coverage.
   */
  private static final long SLICE_SECONDS = 20;

  /**
   * How long the cluster stays below min.insync.replicas: long enough for {@code /readyz} to say
   * that the stream threads are blocked ({@link PollStalls#STALL_AFTER}).
   */
  private static final Duration STALL = PollStalls.STALL_AFTER.plusSeconds(12);

  /**
   * Outputs committed just before a stall may still be read this long into it (the reader's fetch
   * moves to the new leader).
   */
  private static final Duration SETTLE = Duration.ofSeconds(5);

  private static final Duration DEADLINE = Duration.ofSeconds(300);

  @TempDir Path dir;

  private ServiceProcess service;
  private int httpPort;

  @AfterEach
  void killLeftoversAndKeepTheLog() throws IOException {
    if (service != null) {
      service.close();
      Path logs = Files.createDirectories(Path.of("target", "fault-logs"));
      Files.writeString(logs.resolve("ThreeBrokersFaultIT-kfm.log"), service.log());
    }
  }

  @Test
  void shouldOutputEveryRecordOnceAndRepeatNoAlertWhenBrokersStopAndMinIsrIsLost()
      throws Exception {
    // Given the topics at replication 3 and the service in its own JVM, alerts on, with health
    // windows of 10 s so that alerts fire within the run
    TopicsFiles.apply(dir, KAFKA.bootstrapServers(), PARTITIONS, 3);
    KeyFiles keys = KeyFiles.generate(dir.resolve("keys"), "alerts");
    httpPort = Ports.unused();
    Path config =
        Files.writeString(
            dir.resolve("kfm.yaml"),
            """
        kafka:
          bootstrap.servers: %s
          state.dir: %s
          commit.interval.ms: 100
          session.timeout.ms: 6000
          group.instance.id: kfm-0
        serde:
          schema.registry.url: %s
        health:
          window: 10s
          evaluation-interval: 10s
          grace: 2s
          silence-gap: 1m
          min-runs: 5
          alerts:
            signing-key: %s
        http:
          port: %d
        """
                .formatted(
                    KAFKA.bootstrapServers(),
                    dir.resolve("state"),
                    KAFKA.registry().url(),
                    keys.privateKey(),
                    httpPort));
    service = ServiceProcess.run(dir, "kfm", config);
    long started = System.nanoTime();

    try (Admin admin =
            Admin.create(
                Map.<String, Object>of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
        Watch out = new Watch()) {
      Producing producing = new Producing();
      CompletableFuture<Void> producer = CompletableFuture.runAsync(producing);
      out.until(() -> out.count() >= RECORDS / 10, producer);

      // When the broker leading the most partitions of the raw and valid topics is stopped
      // mid-stream (a controlled shutdown: its leaderships move to the other two) ...
      int leader = busiestLeader(admin);
      int ledCount = leaderships(admin).getOrDefault(leader, 0);
      int outputsAtStop = out.count();
      long stopping = System.nanoTime();
      System.out.println(Instant.now() + " stopping broker " + leader);
      stop(leader);
      long stopped = System.nanoTime();
      // ... output goes on from the other two ...
      out.until(() -> out.count() >= outputsAtStop + 200, producer);
      Duration failover = out.longestGap(stopping, System.nanoTime());
      Duration firstAfterStop = out.firstOutputAfter(stopped);
      // ... and it is started again, and catches up
      long restarting = System.nanoTime();
      System.out.println(Instant.now() + " restarting broker " + leader);
      KAFKA.cluster().restartBroker(leader, Map.of());
      long restarted = System.nanoTime();
      int outputsAtRestart = out.count();
      out.until(() -> out.count() > outputsAtRestart, producer);
      Duration afterRestart = out.firstOutputAfter(restarted);
      awaitFullIsr(admin, out, producer);

      // ... then two brokers are stopped: one remains, below min.insync.replicas 2 everywhere
      int first = busiestLeader(admin);
      int second =
          KAFKA.cluster().brokers().keySet().stream().filter(id -> id != first).findFirst().get();
      int survivor =
          KAFKA.cluster().brokers().keySet().stream()
              .filter(id -> id != first && id != second)
              .findFirst()
              .get();
      stop(first);
      stop(second);
      long stalled = System.nanoTime();
      System.out.println(Instant.now() + " brokers " + first + " and " + second + " stopped");
      int outputsAtStall = out.count();
      Map<String, Long> states = new LinkedHashMap<>();
      long holdEnd = stalled + STALL.toNanos();
      while (System.nanoTime() < holdEnd) {
        service.assertAlive();
        out.check(producer);
        // (numbers elided, so that the figures count each answer once)
        states.merge(readiness().replaceAll("\\d+(\\.\\d+)?", "N"), 1L, Long::sum);
        Thread.sleep(500);
      }
      int outputsAfterStall = out.count();
      Duration lastOutputInStall = out.lastOutputBetween(stalled, System.nanoTime());
      // (checked now: nothing can be committed while the transaction log and every topic have one
      // in-sync replica of the two required; records committed just before the second broker
      // stopped may still be read in the first seconds)
      assertThat(out.lastOutputBetween(stalled + SETTLE.toNanos(), System.nanoTime()))
          .as(
              "time after the start of the stall (broker %d alone) of the last output seen more"
                  + " than %s into it",
              survivor, SETTLE)
          .isNull();
      // ... and one of them comes back (min.insync.replicas met again), then the other
      long resuming = System.nanoTime();
      System.out.println(Instant.now() + " restarting broker " + first);
      KAFKA.cluster().restartBroker(first, Map.of());
      long resumed = System.nanoTime();
      out.until(() -> out.count() > outputsAfterStall, producer);
      Duration resume = out.firstOutputAfter(resumed);
      KAFKA.cluster().restartBroker(second, Map.of());
      awaitFullIsr(admin, out, producer);
      // (checked now: /readyz said why while the stream threads were blocked, and says RUNNING
      // again once they poll)
      assertThat(states.keySet())
          .as("readiness while below min.insync.replicas")
          .anyMatch(
              answer ->
                  answer.startsWith("RUNNING, stalled: ")
                      && answer.contains("not polled for N s: blocked in Kafka"));
      out.until(() -> readiness().equals("RUNNING"), producer);

      // ... while the rest of the records stream in
      out.until(producer::isDone, producer);
      producer.join();
      out.until(() -> out.count() >= RECORDS, producer);
      out.finish();
      long elapsed = System.nanoTime() - started;

      // Then the service never exited, every record came out once on the topic its validity says,
      // and nothing was committed while the cluster was below min.insync.replicas
      assertThat(service.isAlive()).as(service.failure()).isTrue();
      OutputLedger ledger = out.ledger;
      Set<String> sent = new HashSet<>();
      IntStream.range(0, RECORDS).forEach(i -> sent.add(runId(i)));
      assertThat(producing.acked).as("records acknowledged by the raw topic").hasSize(RECORDS);
      long rawRecords = endOffsets(admin, RAW);
      assertThat(rawRecords)
          .as("records on the raw topic (sends that failed were resent)")
          .isBetween((long) RECORDS, (long) RECORDS + producing.failures.get());
      assertThat(ledger.missing(sent)).as("keys lost; " + service.failure()).isEmpty();
      assertThat(ledger.repeats()).as("keys output more than once").isEmpty();
      assertThat(ledger.byKey()).hasSize(RECORDS);
      ledger
          .byKey()
          .forEach(
              (key, topic) ->
                  assertThat(topic)
                      .as("topic of %s", key)
                      .isEqualTo(invalid(Integer.parseInt(key.substring(20))) ? DLQ : VALID));

      // ... and the alerts (read_committed) fired, and none was repeated: per key, firing and
      // resolved alternate, starting with firing
      List<Alert> alerts = alerts();
      assertThat(alerts).as("alerts").anyMatch(Alert::firing);
      assertThat(alerts.stream().map(Alert::id).distinct().count())
          .as("distinct alert ids among %s", alerts)
          .isEqualTo(alerts.size());
      Map<String, List<Alert>> byKey = new HashMap<>();
      alerts.forEach(a -> byKey.computeIfAbsent(a.key(), k -> new ArrayList<>()).add(a));
      byKey.forEach(
          (key, list) -> {
            for (int i = 0; i < list.size(); i++) {
              assertThat(list.get(i).firing())
                  .as("alert %d of %s is %s: %s", i, key, i % 2 == 0 ? "firing" : "resolved", list)
                  .isEqualTo(i % 2 == 0);
            }
          });
      long duplicatesDropped = metric("kfm_records_total\\{outcome=\"duplicate\"\\}");
      String log = service.log();
      int replaced = count(log, "replacing the thread");
      int migrated = count(log, "TaskMigratedException");
      int fenced = count(log, "ProducerFencedException|InvalidProducerEpochException");
      assertThat(service.stop()).as("exit status after SIGTERM").isEqualTo(143);
      assertThat(service.log()).contains("stopped cleanly");
      alerts.forEach(a -> System.out.println("alert " + a));

      String common =
          ("%d alerts (%d firing), none repeated; producer send failures resent: %d; service"
                  + " threads replaced: %d; whole scenario %.0f s")
              .formatted(
                  alerts.size(),
                  alerts.stream().filter(Alert::firing).count(),
                  producing.failures.get(),
                  replaced,
                  elapsed / 1e9);
      List<FaultFigures> rows =
          List.of(
              new FaultFigures(
                  "3 brokers (RF 3, min ISR 2): leader of most raw/valid partitions stopped"
                      + " mid-stream, restarted",
                  RECORDS,
                  ledger.on(VALID),
                  ledger.on(DLQ),
                  duplicatesDropped,
                  ledger.missing(sent).size(),
                  ledger.repeats().size(),
                  failover,
                  ("broker %d (leader of %d of the %d raw/valid partitions) stopped in %.1f s"
                              + " (controlled shutdown); recovery = longest pause between committed"
                              + " outputs from the stop until 200 more were out; first output %.1f s"
                              + " after the stop was done; restart took %.1f s, next output %.1f s"
                              + " after it; raw topic: %d records;")
                          .formatted(
                              leader,
                              ledCount,
                              2 * PARTITIONS,
                              (stopped - stopping) / 1e9,
                              firstAfterStop.toMillis() / 1000.0,
                              (restarted - restarting) / 1e9,
                              afterRestart.toMillis() / 1000.0,
                              rawRecords)
                      + " figures for the whole run (both faults); "
                      + common),
              new FaultFigures(
                  "3 brokers: 2 stopped for %d s (broker %d alone, below min ISR), then restarted"
                      .formatted(STALL.toSeconds(), survivor),
                  RECORDS,
                  ledger.on(VALID),
                  ledger.on(DLQ),
                  duplicatesDropped,
                  ledger.missing(sent).size(),
                  ledger.repeats().size(),
                  resume,
                  ("outputs seen during the stall: %d (the last %s after its start);"
                              + " restart of the first broker took %.1f s, recovery = restart done ->"
                              + " next committed output; readiness during the stall %s;"
                              + " TaskMigratedException %d, fenced %d in the log; outputs seen"
                              + " at stall start %d, at its end %d; ")
                          .formatted(
                              outputsAfterStall - outputsAtStall,
                              lastOutputInStall == null
                                  ? "none"
                                  : lastOutputInStall.toMillis() / 1000.0 + " s",
                              (resumed - resuming) / 1e9,
                              states,
                              migrated,
                              fenced,
                              outputsAtStall,
                              outputsAfterStall)
                      + common));
      rows.forEach(FaultFigures::write);
      rows.forEach(System.out::println);
    }
  }

  /** Stops broker {@code id} (controlled shutdown) and waits until it is down. */
  private static void stop(int id) {
    var broker = KAFKA.cluster().brokers().get(id);
    broker.shutdown();
    broker.awaitShutdown();
  }

  /** The broker that leads the most partitions of the raw and valid topics. */
  private static int busiestLeader(Admin admin) throws Exception {
    return leaderships(admin).entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .orElseThrow()
        .getKey();
  }

  /** How many partitions of the raw and valid topics each broker leads. */
  private static Map<Integer, Integer> leaderships(Admin admin) throws Exception {
    Map<Integer, Integer> led = new HashMap<>();
    admin
        .describeTopics(List.of(RAW, VALID))
        .allTopicNames()
        .get(30, TimeUnit.SECONDS)
        .values()
        .forEach(
            d ->
                d.partitions().stream()
                    .filter(p -> p.leader() != null)
                    .forEach(p -> led.merge(p.leader().id(), 1, Integer::sum)));
    return led;
  }

  /** The end offsets of {@code topic}, summed: the records written to it. */
  private static long endOffsets(Admin admin, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get(30, TimeUnit.SECONDS)
        .get(topic)
        .partitions()
        .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
        .mapToLong(r -> r.offset())
        .sum();
  }

  /**
   * Waits until every partition of every topic, internal ones included, has all its replicas in
   * sync again, so that stopping any two brokers leaves a replica that can lead.
   */
  private static void awaitFullIsr(Admin admin, Watch out, CompletableFuture<Void> producer)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Set<String> topics =
          admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
      List<String> short_ = new ArrayList<>();
      for (TopicDescription d :
          admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
        for (TopicPartitionInfo p : d.partitions()) {
          if (p.isr().size() < p.replicas().size()) {
            short_.add(d.name() + "-" + p.partition() + " isr " + p.isr());
          }
        }
      }
      if (short_.isEmpty()) {
        return;
      }
      out.check(producer);
      assertThat(System.nanoTime())
          .as("partitions still short of in-sync replicas: %s", short_)
          .isLessThan(deadline);
      Thread.sleep(250);
    }
  }

  /** One alert on the alerts topic. */
  private record Alert(String key, String ts, boolean firing, String id) {}

  /** Every alert committed on the alerts topic, in the order of each partition. */
  private List<Alert> alerts() throws IOException {
    try (CommittedReader reader =
        CommittedReader.fromBeginning(
            KAFKA.bootstrapServers(),
            List.of(ALERTS),
            Duration.ofSeconds(60),
            Duration.ofMillis(200))) {
      reader.drainToEnd(() -> "alerts not read to their end");
      List<Alert> alerts = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : reader.records()) {
        JsonNode alert = JSON.readTree(r.value());
        alerts.add(
            new Alert(
                new String(r.key(), StandardCharsets.UTF_8),
                alert.path("ts").asText(),
                "fail".equals(alert.path("policy").path("decision").asText()),
                alert.path("correlation").path("correlation_id").asText()));
      }
      return alerts;
    }
  }

  /** The service's readiness answer ({@code RUNNING}, {@code REBALANCING}, ...) or the failure. */
  private String readiness() {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return r.body().strip();
    } catch (IOException e) {
      return "no answer";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** A counter of the service's /metrics, or -1 when absent. */
  private long metric(String regex) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("(?m)^" + regex + " ([0-9.eE+]+)$").matcher(body);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** A ULID-shaped run id (26 Crockford base-32 characters) for record {@code i}. */
  private static String runId(int i) {
    return "01J0M7Q8J7Y7P4B9D1M3" + String.format(Locale.ROOT, "%06d", i);
  }

  private static boolean invalid(int i) {
    return i % INVALID_EVERY == 0;
  }

  /**
   * Record {@code i}: a completed run of its own, with a trace id; invalid ones have a bad ts; the
   * flapping pipeline's runs report no energy in every other {@link #SLICE_SECONDS} of their ts.
   */
  private static byte[] payload(ObjectNode template, int i) throws IOException {
    Instant ts = Instant.now();
    ObjectNode event = template.deepCopy();
    ObjectNode run = (ObjectNode) event.get("run");
    run.put("run_id", runId(i));
    run.remove("idempotency_key");
    boolean flapping = i % 20 == 5;
    run.put("pipeline", flapping ? FLAPPING_PIPELINE : PIPELINE);
    event
        .putObject("correlation")
        .put("correlation_id", "req_" + runId(i).toLowerCase(Locale.ROOT))
        .put("trace_id", HexFormat.of().formatHex(Sha.of(runId(i))));
    if (flapping && (ts.getEpochSecond() / SLICE_SECONDS) % 2 == 0) {
      ((ObjectNode) event.get("metrics")).remove(List.of("energy_kwh_est", "carbon_kgco2e_est"));
      ((ObjectNode) event.get("policy")).remove("energy_report_ref");
      ArrayNode artifacts = (ArrayNode) event.get("artifacts");
      for (int a = artifacts.size() - 1; a >= 0; a--) {
        if ("energy_report".equals(artifacts.get(a).path("type").asText())) {
          artifacts.remove(a);
        }
      }
    }
    event.put("ts", invalid(i) ? "yesterday" : ts.toString());
    return JSON.writeValueAsBytes(event);
  }

  /** 16 bytes of the SHA-256 of a text: a trace id that is never all zero in practice. */
  private static final class Sha {
    static byte[] of(String text) {
      try {
        byte[] d =
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8));
        byte[] out = java.util.Arrays.copyOf(d, 16);
        out[0] |= 1;
        return out;
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Sends the RECORDS records at a steady pace (also while brokers are down: the idempotent
   * producer retries, with a delivery timeout longer than any outage here); a send that fails all
   * the same is counted and sent again (the same bytes: a copy that did land is dropped by the
   * service's de-duplication), so that every record reaches the raw topic.
   */
  private static final class Producing implements Runnable {
    final Set<Integer> acked = ConcurrentHashMap.newKeySet();
    final AtomicInteger failures = new AtomicInteger();
    private final Queue<Integer> retry = new ConcurrentLinkedQueue<>();
    private final byte[][] payloads = new byte[RECORDS][];

    @Override
    public void run() {
      Map<String, Object> configs =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              KAFKA.bootstrapServers(),
              ProducerConfig.ACKS_CONFIG,
              "all",
              ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
              true,
              ProducerConfig.LINGER_MS_CONFIG,
              5,
              ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
              180_000,
              ProducerConfig.MAX_BLOCK_MS_CONFIG,
              180_000);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(configs, new ByteArraySerializer(), new ByteArraySerializer())) {
        ObjectNode template =
            (ObjectNode) JSON.readTree(ContractCatalogue.seed("pipeline-run-completed"));
        for (int i = 0; i < RECORDS; i++) {
          payloads[i] = payload(template, i);
          send(producer, i);
          if (i % BATCH == BATCH - 1) {
            resend(producer);
            Thread.sleep(PACE.toMillis());
          }
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (acked.size() < RECORDS) {
          producer.flush();
          resend(producer);
          assertThat(System.nanoTime())
              .as("records acknowledged: " + acked.size())
              .isLessThan(deadline);
          Thread.sleep(100);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    private void send(KafkaProducer<byte[], byte[]> producer, int i) {
      producer.send(
          new ProducerRecord<>(RAW, runId(i).getBytes(StandardCharsets.UTF_8), payloads[i]),
          (metadata, e) -> {
            if (e == null) {
              acked.add(i);
            } else {
              failures.incrementAndGet();
              retry.add(i);
            }
          });
    }

    private void resend(KafkaProducer<byte[], byte[]> producer) {
      for (Integer i = retry.poll(); i != null; i = retry.poll()) {
        send(producer, i);
      }
    }
  }

  /**
   * The read_committed ledger of valid + dlq, polled on a thread of its own (while the test thread
   * stops and starts brokers), with the time each new output was first seen.
   */
  private final class Watch implements AutoCloseable {
    final OutputLedger ledger =
        new OutputLedger(
            CommittedReader.fromBeginning(
                KAFKA.bootstrapServers(), OutputLedger.TOPICS, DEADLINE, Duration.ofMillis(100)));
    private final AtomicInteger count = new AtomicInteger();

    /** (nanoTime, outputs) whenever the count grew. */
    private final List<long[]> timeline = new CopyOnWriteArrayList<>();

    private volatile boolean stop;
    private final CompletableFuture<Void> polling =
        CompletableFuture.runAsync(
            () ->
                ledger.pollUntil(
                    () -> {
                      int c = ledger.count();
                      if (c != count.get()) {
                        timeline.add(new long[] {System.nanoTime(), c});
                        count.set(c);
                      }
                      return stop;
                    },
                    service::assertAlive,
                    () ->
                        "outputs so far: "
                            + count.get()
                            + " of "
                            + RECORDS
                            + "; "
                            + service.failure()));

    int count() {
      return count.get();
    }

    /** Fails when the watcher, the service or the producer failed. */
    void check(CompletableFuture<Void> producer) {
      if (polling.isDone()) {
        polling.join();
        throw new AssertionError("the output watcher stopped early");
      }
      if (producer.isCompletedExceptionally()) {
        producer.join();
      }
      service.assertAlive();
    }

    /** Waits (polling) until {@code done}, failing on a failure or past the deadline. */
    void until(BooleanSupplier done, CompletableFuture<Void> producer) throws InterruptedException {
      while (!done.getAsBoolean()) {
        check(producer);
        Thread.sleep(50);
      }
    }

    /** From {@code nanos} to the first time after it that a new output was seen. */
    Duration firstOutputAfter(long nanos) {
      return timeline.stream()
          .filter(e -> e[0] >= nanos)
          .map(e -> Duration.ofNanos(e[0] - nanos))
          .min(Comparator.naturalOrder())
          .orElseThrow(() -> new AssertionError("no output after the fault"));
    }

    /**
     * The longest time without a new output between {@code from} and {@code to} (from {@code from}
     * to the first output, between outputs, from the last one to {@code to}).
     */
    Duration longestGap(long from, long to) {
      long previous = from;
      long longest = 0;
      for (long[] e : timeline) {
        if (e[0] > from && e[0] <= to) {
          longest = Math.max(longest, e[0] - previous);
          previous = e[0];
        }
      }
      return Duration.ofNanos(Math.max(longest, to - previous));
    }

    /** From {@code from} to the last new output seen before {@code to}, or null if none. */
    Duration lastOutputBetween(long from, long to) {
      return timeline.stream()
          .filter(e -> e[0] >= from && e[0] < to)
          .map(e -> Duration.ofNanos(e[0] - from))
          .max(Comparator.naturalOrder())
          .orElse(null);
    }

    /** Stops the watcher thread and reads everything committed (on this thread). */
    void finish() {
      stop = true;
      polling.join();
      ledger.drainToEnd(
          service::assertAlive, () -> "outputs: " + ledger.count() + "; " + service.failure());
    }

    @Override
    public void close() {
      stop = true;
      try {
        polling.join();
      } catch (RuntimeException e) {
        // reported where it was checked
      }
      ledger.close();
    }
  }
}
