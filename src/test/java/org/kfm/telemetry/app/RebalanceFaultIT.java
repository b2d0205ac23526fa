package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.contract.Ed25519Keys;
import org.kfm.telemetry.contract.PayloadSignatures;
import org.kfm.telemetry.testing.CommittedReader;
import org.kfm.telemetry.testing.FaultFigures;
import org.kfm.telemetry.testing.InProcessKafka;
import org.kfm.telemetry.testing.OutputLedger;
import org.kfm.telemetry.testing.Ports;
import org.kfm.telemetry.testing.RunEvents;
import org.kfm.telemetry.testing.ServiceProcess;

/**
 * Rebalances under load, with the health checks and signed alerts on: one {@code kfm run} instance
 * (its own JVM) reads a paced stream of distinct runs over twelve pipelines, a second and a third
 * instance of the same application join mid-stream (their tasks' health state restored from the
 * changelogs), then one of the two joiners, the one holding the most health scopes, is killed with
 * SIGKILL and the two survivors take over its tasks while the stream goes on.
 *
 * <p>The traffic is made so that everything it should produce is known in advance: runs of tick
 * {@code t} (an hour of event time, five seconds of wall time) carry trace context and an energy
 * report unless the pipeline's pattern says that tick misses one; windows are three ticks long,
 * evaluated every tick, first evaluated three ticks after they end (grace), so the health check of
 * every window, the alert transitions (which pipelines fire, which resolve, in which window) and
 * the newest window of every scope follow from the traffic alone. It proves that:
 *
 * <ul>
 *   <li>every input record comes out exactly once on the valid topic or the DLQ ({@link
 *       OutputLedger}: none lost, none doubled);
 *   <li>the alerts topic ({@code read_committed}) holds exactly the expected transitions, each
 *       once, with valid ed25519 signatures: an alert state restored after a move or the kill is
 *       neither repeated (a breached rule firing again) nor lost (a resolve missing);
 *   <li>after the rebalances a survivor's {@code /api/health-checks} reports every scope's newest
 *       window with the runs checked and coverages the traffic implies, and {@code
 *       /api/health-checks/history} every window from the scope's first to its newest, each once
 *       and each exact: the run and pane state was restored, not lost or counted twice; and no
 *       health check went out twice on {@code kfm.telemetry.health}.
 * </ul>
 *
 * It measures the time from the kill to the first committed output of a record sent after it, and
 * to the survivors serving the health state of the killed instance's scopes.
 */
class RebalanceFaultIT {

  /**
   * Consumers may use a session timeout shorter than the broker's default minimum (6 s), so that
   * the killed member's tasks move after 4 s. Transactions keep Kafka's defaults (the killed
   * member's open transaction is aborted 10 to 20 s after it began, and until then it holds back
   * every read_committed reader of the partitions it wrote): the tasks that move must wait for
   * their input without taking its silence for the end of the traffic.
   */
  @RegisterExtension
  static final InProcessKafka KAFKA =
      new InProcessKafka(Map.of("group.min.session.timeout.ms", "1000"));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VALID = "kfm.telemetry.valid";
  private static final String DLQ = "kfm.telemetry.dlq";
  private static final String ALERTS = "kfm.telemetry.alerts";
  private static final String HEALTH = "kfm.telemetry.health";
  private static final String FLEET = "*";
  private static final String TRACE = "KFM-TELEM-TRACE-001";
  private static final String ENERGY = "KFM-TELEM-ENERGY-001";

  /** Partitions of every topic: three instances, one stream thread each, four tasks each. */
  private static final int PARTITIONS = 3;

  /** Ticks of traffic; a tick is an hour of event time (the evaluation interval). */
  private static final int TICKS = 16;

  private static final Duration TICK_PACE = Duration.ofSeconds(5);
  private static final int WINDOW_TICKS = 3;
  private static final int GRACE_TICKS = 3;

  /** Valid runs per pipeline and tick (one terminal event each), and one invalid record more. */
  private static final int RUNS = 6;

  private static final int MIN_RUNS = 10;

  /** SLOs of the pipelines (rb.*); the fleet's are 50/50 and never missed by this traffic. */
  private static final double TRACE_SLO = 95.0;

  private static final double ENERGY_SLO = 90.0;
  private static final double FLEET_SLO = 50.0;

  /** The instances join once the stream flows; one of them is killed at this tick or after. */
  private static final int KILL_TICK = 8;

  /** If the joiners have not settled by this tick, the scenario cannot be run as intended. */
  private static final int LATEST_KILL_TICK = 11;

  /** The newest window every scope is evaluated up to: the last tick, less the grace. */
  private static final int LAST_WINDOW = TICKS - 1 - GRACE_TICKS;

  private static final Duration DEADLINE = Duration.ofSeconds(240);

  /**
   * Each pipeline and the ticks whose runs carry no trace context / no energy report; the others
   * are healthy throughout.
   */
  private static final List<Pattern> PIPELINES =
      List.of(
          new Pattern("rb.trace.once", Set.of(3), Set.of()),
          new Pattern("rb.energy.once", Set.of(), Set.of(5)),
          new Pattern("rb.both.once", Set.of(4), Set.of(4)),
          new Pattern("rb.trace.twice", Set.of(2, 8), Set.of()),
          new Pattern("rb.staggered", Set.of(6), Set.of(7)),
          new Pattern("rb.trace.stays", Set.of(10, 11, 12, 13, 14, 15), Set.of()),
          new Pattern("rb.healthy.a", Set.of(), Set.of()),
          new Pattern("rb.healthy.b", Set.of(), Set.of()),
          new Pattern("rb.healthy.c", Set.of(), Set.of()),
          new Pattern("rb.healthy.d", Set.of(), Set.of()),
          new Pattern("rb.healthy.e", Set.of(), Set.of()),
          new Pattern("rb.healthy.f", Set.of(), Set.of()));

  private static final int RECORDS = TICKS * PIPELINES.size() * (RUNS + 1);

  @TempDir Path dir;

  private final List<ServiceProcess> processes = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void killLeftovers() {
    processes.forEach(ServiceProcess::close);
  }

  @Test
  void shouldKeepRecordsHealthChecksAndAlertsExactlyOnceWhenInstancesJoinAndOneIsKilled()
      throws Exception {
    long started = System.nanoTime();
    // Given the topics, an alert signing key, and the first instance
    TopicsFiles.apply(dir, KAFKA.bootstrapServers(), PARTITIONS);
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path signingKey =
        Files.writeString(
            dir.resolve("alert-signing.key"),
            Ed25519Keys.toPem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    // the last tick is the hour after the current one, so that the wall clock, should the input
    // stay idle long enough to close windows, has nothing newer to close than stream time had
    Instant t0 =
        Instant.now()
            .truncatedTo(ChronoUnit.HOURS)
            .plus(Duration.ofHours(1))
            .minus(Duration.ofHours(TICKS - 1));
    Instance first = start("instance-1", signingKey);
    awaitRunning(first);

    try (Outputs out = new Outputs()) {
      // When a paced stream of runs flows ...
      AtomicInteger sent = new AtomicInteger();
      AtomicInteger tick = new AtomicInteger(-1);
      CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produce(t0, sent, tick));
      out.pollUntil(() -> failFast(producing) && out.ledger.count() > 0, first);
      // ... a second and a third instance join it ...
      Instance second = start("instance-2", signingKey);
      Instance third = start("instance-3", signingKey);
      List<Instance> all = List.of(first, second, third);
      out.pollUntil(
          () -> {
            failFast(producing);
            assertThat(tick.get())
                .as(
                    "tick when the joiners should have settled; local scopes: %s",
                    localScopesOf(all))
                .isLessThan(LATEST_KILL_TICK);
            return tick.get() >= KILL_TICK && all.stream().allMatch(i -> !localScopes(i).isEmpty());
          },
          all);
      Map<Instance, Set<String>> before = localScopesOf(all);
      int tickAtKill = tick.get();
      // ... and the joiner holding the most health scopes is killed (SIGKILL) mid-stream
      Instance victim = before.get(second).size() >= before.get(third).size() ? second : third;
      List<Instance> survivors = all.stream().filter(i -> i != victim).toList();
      Map<String, String> victimWindows = windowEnds(victim, "?local=true");
      long killedAt = System.nanoTime();
      int sentAtKill = sent.get();
      victim.process.kill();
      long[] outputAfterKill = {-1};
      long[] allPartitionsAfterKill = {-1};
      long[] scopesBack = {-1};
      long[] lastAsked = {0};
      out.pollUntil(
          () -> {
            failFast(producing);
            if (outputAfterKill[0] < 0
                && out.ledger.byKey().keySet().stream().anyMatch(k -> index(k) >= sentAtKill)) {
              outputAfterKill[0] = System.nanoTime();
            }
            if (allPartitionsAfterKill[0] < 0
                && out.ledger.byKey().keySet().stream()
                        .filter(k -> index(k) >= sentAtKill)
                        .map(RebalanceFaultIT::rawPartition)
                        .distinct()
                        .count()
                    == PARTITIONS) {
              allPartitionsAfterKill[0] = System.nanoTime();
            }
            if (scopesBack[0] < 0 && System.nanoTime() - lastAsked[0] > 250_000_000L) {
              lastAsked[0] = System.nanoTime();
              if (restored(survivors, victimWindows)) {
                scopesBack[0] = System.nanoTime();
              }
            }
            return producing.isDone()
                && out.ledger.count() >= RECORDS
                && allPartitionsAfterKill[0] >= 0
                && scopesBack[0] >= 0;
          },
          survivors);
      producing.join();
      out.ledger.drainToEnd(() -> survivors.forEach(i -> i.process.assertAlive()), out::progress);

      // Then every record came out once, valid ones on the valid topic, invalid ones on the DLQ
      Set<String> sentKeys = new TreeSet<>();
      IntStream.range(0, RECORDS).forEach(i -> sentKeys.add(runId(i)));
      Set<String> lost = out.ledger.missing(sentKeys);
      List<String> doubled = out.ledger.repeats();
      assertThat(victim.process.isAlive()).as("victim killed").isFalse();
      assertThat(sentAtKill).as("records sent at the kill").isBetween(1, RECORDS - 1);
      assertThat(lost).as("records lost").isEmpty();
      assertThat(doubled).as("records output twice").isEmpty();
      assertThat(out.ledger.byKey().keySet()).as("keys out").isEqualTo(sentKeys);
      out.ledger
          .byKey()
          .forEach(
              (key, topic) ->
                  assertThat(topic)
                      .as("topic of %s", key)
                      .isEqualTo(invalid(index(key)) ? DLQ : VALID));

      // ... every scope's newest window, on both survivors, is the one the traffic implies, with
      // exactly its runs: the state of the moved and the killed tasks was restored, not lost or
      // counted twice
      Map<String, JsonNode> latest = new TreeMap<>();
      out.pollUntil(
          () -> {
            latest.clear();
            latest.putAll(healthChecks(survivors.get(0)));
            return latest.keySet().equals(scopes())
                && latest.entrySet().stream()
                    .allMatch(e -> matches(e.getValue(), t0, e.getKey(), LAST_WINDOW));
          },
          survivors,
          () -> "latest health checks: " + latest.values());
      for (Instance survivor : survivors) {
        JsonNode answer = get(survivor, "/api/health-checks");
        assertThat(answer.path("partial").asBoolean()).as("partial").isFalse();
        Map<String, JsonNode> checks = healthChecks(survivor);
        assertThat(checks.keySet()).as("scopes on %s", survivor.name).isEqualTo(scopes());
        checks.forEach(
            (scope, check) ->
                assertThat(summary(check))
                    .as("newest health check of %s on %s", scope, survivor.name)
                    .isEqualTo(expectedSummary(t0, scope, LAST_WINDOW)));
      }
      // ... and every window of every scope, from its first evaluation on, was evaluated once,
      // with exactly its runs
      JsonNode history = get(survivors.get(0), "/api/health-checks/history?hours=24");
      assertThat(history.path("partial").asBoolean()).as("history partial").isFalse();
      Map<String, List<JsonNode>> points = new TreeMap<>();
      history
          .path("history")
          .forEach(h -> points.put(h.path("scope").asText(), list(h.path("points"))));
      assertThat(points.keySet()).as("scopes with a history").isEqualTo(scopes());
      int windowsChecked = 0;
      for (Map.Entry<String, List<JsonNode>> scope : points.entrySet()) {
        List<JsonNode> windows = scope.getValue();
        int firstWindow = tickOf(t0, windows.get(0).path("window_end").asText());
        assertThat(firstWindow)
            .as("first window evaluated for %s", scope.getKey())
            .isBetween(-GRACE_TICKS, WINDOW_TICKS - 1);
        List<Map<String, Object>> expected = new ArrayList<>();
        for (int w = firstWindow; w <= LAST_WINDOW; w++) {
          Map<String, Object> point = expectedSummary(t0, scope.getKey(), w);
          // (a history point has the counts and coverages, not the covered runs)
          point.remove("runs_with_trace");
          point.remove("runs_with_energy_report");
          expected.add(point);
        }
        assertThat(windows.stream().map(RebalanceFaultIT::summary).toList())
            .as("history of %s", scope.getKey())
            .containsExactlyElementsOf(expected);
        windowsChecked += windows.size();
      }

      // ... no health check went out twice
      List<ConsumerRecord<byte[], byte[]>> healthRecords = readAll(HEALTH, out::progress);
      Deserializer<HealthCheck> checks =
          CommittedReader.avroValues(HealthCheck.class, KAFKA.registry().url());
      Map<String, Integer> emitted = new HashMap<>();
      int revisions = 0;
      for (ConsumerRecord<byte[], byte[]> r : healthRecords) {
        HealthCheck c = checks.deserialize(HEALTH, r.headers(), r.value());
        emitted.merge(
            c.getScope() + "/" + c.getWindowEnd() + "#" + c.getRevision(), 1, Integer::sum);
        revisions += c.getRevision() > 0 ? 1 : 0;
      }
      assertThat(emitted.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey))
          .as("health checks (scope/window#revision) emitted more than once")
          .isEmpty();

      // ... and the alerts topic holds each expected transition exactly once, signed
      List<Alert> expectedAlerts = expectedAlerts(t0);
      CommittedReader alertReader =
          CommittedReader.fromBeginning(
              KAFKA.bootstrapServers(), List.of(ALERTS), DEADLINE, Duration.ofMillis(200));
      List<Alert> alerts = new ArrayList<>();
      try (alertReader) {
        alertReader.pollUntil(
            () -> alertReader.records().size() >= expectedAlerts.size(),
            () -> "alerts " + alertReader.records().size() + " of " + expectedAlerts.size());
        alertReader.drainToEnd(() -> "alerts to the end");
        PublicKey publicKey = keys.getPublic();
        for (ConsumerRecord<byte[], byte[]> r : alertReader.records()) {
          ObjectNode payload = (ObjectNode) JSON.readTree(r.value());
          assertThat(PayloadSignatures.verify(payload, publicKey).isValid())
              .as("signature of %s", payload)
              .isTrue();
          assertThat(new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8))
              .isEqualTo(payload.path("correlation").path("correlation_id").asText());
          alerts.add(Alert.of(new String(r.key(), StandardCharsets.UTF_8), payload));
        }
      }
      assertThat(alerts)
          .as("alert transitions (none repeated, none missing)")
          .containsExactlyInAnyOrderElementsOf(expectedAlerts);
      // (the model itself: 8 transitions fire, 7 resolve, on 6 of the 12 pipelines)
      assertThat(expectedAlerts).hasSize(15);
      assertThat(expectedAlerts.stream().filter(a -> a.decision().equals("fail"))).hasSize(8);

      Duration toOutput = Duration.ofNanos(outputAfterKill[0] - killedAt);
      Duration toScopes = Duration.ofNanos(scopesBack[0] - killedAt);
      Duration toAllPartitions = Duration.ofNanos(allPartitionsAfterKill[0] - killedAt);
      long firing = alerts.stream().filter(a -> a.decision().equals("fail")).count();
      new FaultFigures(
              "Rebalances: instances 2 and 3 join mid-stream, one of them SIGKILLed (1 broker,"
                  + " 3 partitions, alerts on)",
              RECORDS,
              out.ledger.on(VALID),
              out.ledger.on(DLQ),
              -1,
              lost.size(),
              doubled.size(),
              toOutput,
              String.format(
                  "killed %s at tick %d of %d (it held %d of %d health scopes); records sent after"
                      + " the kill out from every raw partition %.1f s after it; its scopes served"
                      + " again by the survivors %.1f s after it; alerts %d of %d expected"
                      + " (%d firing, %d resolved), 0 repeated, 0 missing, all signatures valid;"
                      + " %d window evaluations checked exact; health checks %d (revisions %d),"
                      + " none twice; session.timeout.ms 4000; scenario %d s",
                  victim.name,
                  tickAtKill,
                  TICKS,
                  before.get(victim).size(),
                  scopes().size(),
                  toAllPartitions.toMillis() / 1000.0,
                  toScopes.toMillis() / 1000.0,
                  alerts.size(),
                  expectedAlerts.size(),
                  firing,
                  alerts.size() - firing,
                  windowsChecked,
                  healthRecords.size(),
                  revisions,
                  Duration.ofNanos(System.nanoTime() - started).toSeconds()))
          .write();

      for (Instance survivor : survivors) {
        assertThat(survivor.process.stop()).as("exit status after SIGTERM").isEqualTo(143);
        assertThat(survivor.process.log()).contains("stopped cleanly");
      }
    }
  }

  // ---------------------------------------------------------------- the traffic and its model

  /** A pipeline and the ticks of its runs without trace context / without an energy report. */
  private record Pattern(String pipeline, Set<Integer> noTrace, Set<Integer> noEnergy) {}

  /**
   * Sends every tick's runs in event-time order, paced: per tick, {@link #RUNS} slots ten minutes
   * of event time apart, each slot a run of every pipeline (plus, in the first slot, one invalid
   * record per pipeline).
   */
  private static void produce(Instant t0, AtomicInteger sent, AtomicInteger tick) {
    Map<String, Object> configs =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5);
    long slotNanos = TICK_PACE.toNanos() / RUNS;
    long start = System.nanoTime();
    int i = 0;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(configs, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int t = 0; t < TICKS; t++) {
        tick.set(t);
        for (int slot = 0; slot < RUNS; slot++) {
          Instant ts = slotTime(t0, t, slot);
          for (Pattern p : PIPELINES) {
            if (slot == 0) {
              String json =
                  RunEvents.event("pipeline.run.completed", p.pipeline(), runId(i), ts, true, true)
                      .replaceFirst("\"ts\":\"[^\"]+\"", "\"ts\":\"yesterday\"");
              send(producer, i++, json);
            }
            String json =
                RunEvents.event(
                    "pipeline.run.completed",
                    p.pipeline(),
                    runId(i),
                    ts,
                    !p.noTrace().contains(t),
                    !p.noEnergy().contains(t));
            send(producer, i++, json);
          }
          producer.flush();
          sent.set(i);
          long wait = start + (long) (t * RUNS + slot + 1) * slotNanos - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000L);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (i != RECORDS) {
      throw new IllegalStateException("sent " + i + " records, expected " + RECORDS);
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, int i, String json) {
    producer.send(
        new ProducerRecord<>(
            "kfm.telemetry.raw",
            runId(i).getBytes(StandardCharsets.UTF_8),
            json.getBytes(StandardCharsets.UTF_8)));
  }

  /** The ts of slot {@code slot} of tick {@code t}: 5, 15, ... 55 minutes into the tick's hour. */
  private static Instant slotTime(Instant t0, int t, int slot) {
    return t0.plus(Duration.ofHours(t)).plus(Duration.ofMinutes(5 + 10L * slot));
  }

  /** A ULID-shaped run id (26 Crockford base-32 characters) for record {@code i}. */
  private static String runId(int i) {
    return "01J0M7Q8J7Y7P4B9D1RB" + String.format("%06d", i);
  }

  /** The raw partition the producer's default partitioner gives the record of {@code runId}. */
  private static int rawPartition(String runId) {
    return Utils.toPositive(Utils.murmur2(runId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  private static int index(String runId) {
    return Integer.parseInt(runId.substring(20));
  }

  /** Record {@code i} is the invalid one of its pipeline and tick (the first of the first slot). */
  private static boolean invalid(int i) {
    int perTick = PIPELINES.size() * (RUNS + 1);
    int inTick = i % perTick;
    return inTick < 2 * PIPELINES.size() && inTick % 2 == 0;
  }

  /** Every scope: the pipelines and the fleet. */
  private static Set<String> scopes() {
    Set<String> scopes = new TreeSet<>();
    PIPELINES.forEach(p -> scopes.add(p.pipeline()));
    scopes.add(FLEET);
    return scopes;
  }

  /** Runs checked, with trace, with energy report in one tick of a scope. */
  private record Counts(int checked, int traced, int energy) {
    Counts plus(Counts o) {
      return new Counts(checked + o.checked, traced + o.traced, energy + o.energy);
    }
  }

  private static Counts tickCounts(String scope, int t) {
    Counts sum = new Counts(0, 0, 0);
    if (t < 0 || t >= TICKS) {
      return sum;
    }
    for (Pattern p : PIPELINES) {
      if (scope.equals(FLEET) || scope.equals(p.pipeline())) {
        sum =
            sum.plus(
                new Counts(
                    RUNS, p.noTrace().contains(t) ? 0 : RUNS, p.noEnergy().contains(t) ? 0 : RUNS));
      }
    }
    return sum;
  }

  /** The counts of the window ending at tick {@code end}: ticks end - 3 .. end - 1. */
  private static Counts windowCounts(String scope, int end) {
    Counts sum = new Counts(0, 0, 0);
    for (int t = end - WINDOW_TICKS; t < end; t++) {
      sum = sum.plus(tickCounts(scope, t));
    }
    return sum;
  }

  /** Percent with one decimal, half up; null for no runs (as the health checks write it). */
  private static Double pct(int part, int whole) {
    return whole == 0
        ? null
        : BigDecimal.valueOf(part * 100L)
            .divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_UP)
            .doubleValue();
  }

  /** The health check fields this test checks, as the traffic implies them. */
  private static Map<String, Object> expectedSummary(Instant t0, String scope, int end) {
    Counts c = windowCounts(scope, end);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("window_end", t0.plus(Duration.ofHours(end)).toString());
    m.put("runs_checked", c.checked());
    m.put("runs_with_trace", c.traced());
    m.put("runs_with_energy_report", c.energy());
    m.put("trace_coverage_pct", pct(c.traced(), c.checked()));
    m.put("energy_report_coverage_pct", pct(c.energy(), c.checked()));
    return m;
  }

  /** The same fields of a health check (or history point) as the service answered them. */
  private static Map<String, Object> summary(JsonNode check) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("window_end", check.path("window_end").asText());
    m.put("runs_checked", check.path("runs_checked").asInt());
    if (check.has("runs_with_trace")) {
      m.put("runs_with_trace", check.path("runs_with_trace").asInt());
      m.put("runs_with_energy_report", check.path("runs_with_energy_report").asInt());
    }
    m.put("trace_coverage_pct", number(check.path("trace_coverage_pct")));
    m.put("energy_report_coverage_pct", number(check.path("energy_report_coverage_pct")));
    return m;
  }

  private static boolean matches(JsonNode check, Instant t0, String scope, int end) {
    return summary(check).equals(expectedSummary(t0, scope, end));
  }

  private static Double number(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? null : n.asDouble();
  }

  private enum Verdict {
    PASS,
    FAIL,
    NONE
  }

  private static Verdict verdict(int part, int whole, double slo) {
    if (whole == 0 || whole < MIN_RUNS) {
      return Verdict.NONE;
    }
    return pct(part, whole) >= slo ? Verdict.PASS : Verdict.FAIL;
  }

  /** An alert as this test compares them: key, decision, window end and the window's figures. */
  private record Alert(
      String key,
      String decision,
      Instant windowEnd,
      int runsChecked,
      Double tracePct,
      Double energyPct) {

    static Alert of(String key, JsonNode payload) {
      JsonNode metrics = payload.path("metrics");
      return new Alert(
          key,
          payload.path("policy").path("decision").asText(),
          Instant.parse(payload.path("ts").asText()),
          metrics.path("runs_checked").asInt(),
          number(metrics.path("trace_coverage_pct")),
          number(metrics.path("energy_report_coverage_pct")));
    }
  }

  /**
   * The alert transitions the traffic implies: per scope and rule the OK/BREACHED machine over the
   * windows in order (a fail in OK fires, a pass in BREACHED resolves; the rules of one window that
   * fire share an alert, those that resolve share another). Windows before the first with {@link
   * #MIN_RUNS} runs give no verdict, so where a scope's evaluations start does not matter.
   */
  private static List<Alert> expectedAlerts(Instant t0) {
    List<Alert> alerts = new ArrayList<>();
    for (String scope : scopes()) {
      boolean fleet = scope.equals(FLEET);
      Map<String, Boolean> breached = new LinkedHashMap<>(Map.of(TRACE, false, ENERGY, false));
      for (int end = -GRACE_TICKS; end <= LAST_WINDOW; end++) {
        Counts c = windowCounts(scope, end);
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        verdicts.put(TRACE, verdict(c.traced(), c.checked(), fleet ? FLEET_SLO : TRACE_SLO));
        verdicts.put(ENERGY, verdict(c.energy(), c.checked(), fleet ? FLEET_SLO : ENERGY_SLO));
        List<String> fire = new ArrayList<>();
        List<String> resolve = new ArrayList<>();
        for (Map.Entry<String, Verdict> v : verdicts.entrySet()) {
          if (v.getValue() == Verdict.FAIL && !breached.get(v.getKey())) {
            fire.add(v.getKey());
          } else if (v.getValue() == Verdict.PASS && breached.get(v.getKey())) {
            resolve.add(v.getKey());
          }
        }
        Instant windowEnd = t0.plus(Duration.ofHours(end));
        for (List<String> rules : List.of(fire, resolve)) {
          if (rules.isEmpty()) {
            continue;
          }
          boolean firing = rules == fire;
          rules.forEach(r -> breached.put(r, firing));
          alerts.add(
              new Alert(
                  scope + "|" + String.join(",", rules),
                  firing ? "fail" : "pass",
                  windowEnd,
                  c.checked(),
                  pct(c.traced(), c.checked()),
                  pct(c.energy(), c.checked())));
        }
      }
    }
    return alerts;
  }

  private static int tickOf(Instant t0, String windowEnd) {
    return (int) Duration.between(t0, Instant.parse(windowEnd)).toHours();
  }

  // ---------------------------------------------------------------- the instances

  private record Instance(String name, ServiceProcess process, int port) {}

  /** Waits until {@code instance} answers {@code /readyz} (Kafka Streams RUNNING). */
  private void awaitRunning(Instance instance) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!ready(instance)) {
      instance.process.assertAlive();
      assertThat(System.nanoTime())
          .as("%s RUNNING in time; %s", instance.name, instance.process.failure())
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private boolean ready(Instance instance) {
    try {
      return http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + instance.port + "/readyz"))
                      .timeout(Duration.ofSeconds(5))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Instance start(String name, Path signingKey) throws Exception {
    int port = Ports.unused();
    Path config =
        Files.writeString(
            dir.resolve(name + ".yaml"),
            """
            kafka:
              bootstrap.servers: %s
              state.dir: %s
              application.server: 127.0.0.1:%d
              num.stream.threads: 1
              commit.interval.ms: 100
              session.timeout.ms: 4000
              heartbeat.interval.ms: 1000
            serde:
              schema.registry.url: %s
            health:
              window: %dh
              evaluation-interval: 1h
              grace: %dh
              allowed-lateness: 12h
              max-clock-skew: 3h
              min-runs: %d
              slo:
                trace-pct: %s
                energy-pct: %s
                overrides:
                  "rb.*": {trace-pct: %s, energy-pct: %s}
              alerts:
                signing-key: %s
            http:
              port: %d
            """
                .formatted(
                    KAFKA.bootstrapServers(),
                    dir.resolve("state-" + name),
                    port,
                    KAFKA.registry().url(),
                    WINDOW_TICKS,
                    GRACE_TICKS,
                    MIN_RUNS,
                    FLEET_SLO,
                    FLEET_SLO,
                    TRACE_SLO,
                    ENERGY_SLO,
                    signingKey,
                    port));
    ServiceProcess process = ServiceProcess.run(dir, name, config);
    processes.add(process);
    return new Instance(name, process, port);
  }

  /** {@code path} of {@code instance} as JSON, or null when it does not answer 200. */
  private JsonNode get(Instance instance, String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port + path))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The scopes {@code instance} evaluates itself (none while it is not RUNNING). */
  private Set<String> localScopes(Instance instance) {
    return windowEnds(instance, "?local=true").keySet();
  }

  private Map<Instance, Set<String>> localScopesOf(List<Instance> instances) {
    Map<Instance, Set<String>> out = new LinkedHashMap<>();
    instances.forEach(i -> out.put(i, localScopes(i)));
    return out;
  }

  /** Scope to newest window end, from {@code /api/health-checks + query}. */
  private Map<String, String> windowEnds(Instance instance, String query) {
    JsonNode answer = get(instance, "/api/health-checks" + query);
    Map<String, String> ends = new TreeMap<>();
    if (answer != null) {
      answer
          .path("health_checks")
          .forEach(c -> ends.put(c.path("scope").asText(), c.path("window_end").asText()));
    }
    return ends;
  }

  /** Scope to health check, from {@code /api/health-checks} of {@code instance} (all instances). */
  private Map<String, JsonNode> healthChecks(Instance instance) {
    JsonNode answer = get(instance, "/api/health-checks");
    Map<String, JsonNode> checks = new TreeMap<>();
    if (answer != null && answer.path("unreachable").isEmpty()) {
      answer.path("health_checks").forEach(c -> checks.put(c.path("scope").asText(), c));
    }
    return checks;
  }

  /**
   * Whether the survivors evaluate every scope the victim held, each at least up to the window it
   * had reached (its state restored, not started over).
   */
  private boolean restored(List<Instance> survivors, Map<String, String> victimWindows) {
    Map<String, String> now = new HashMap<>();
    survivors.forEach(s -> now.putAll(windowEnds(s, "?local=true")));
    return victimWindows.entrySet().stream()
        .allMatch(
            e ->
                now.containsKey(e.getKey())
                    && Instant.parse(now.get(e.getKey())).compareTo(Instant.parse(e.getValue()))
                        >= 0);
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static boolean failFast(CompletableFuture<Void> producing) {
    if (producing.isCompletedExceptionally()) {
      producing.join();
    }
    return true;
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(
      String topic, java.util.function.Supplier<String> progress) {
    try (CommittedReader reader =
        CommittedReader.fromBeginning(
            KAFKA.bootstrapServers(), List.of(topic), DEADLINE, Duration.ofMillis(200))) {
      reader.drainToEnd(progress);
      return new ArrayList<>(reader.records());
    }
  }

  /** The ledger of the valid topic and the DLQ, polled with the instances' liveness checked. */
  private static final class Outputs implements AutoCloseable {
    final OutputLedger ledger =
        new OutputLedger(
            CommittedReader.fromBeginning(
                KAFKA.bootstrapServers(), OutputLedger.TOPICS, DEADLINE, Duration.ofMillis(200)));

    void pollUntil(BooleanSupplier done, Instance instance) {
      pollUntil(done, List.of(instance));
    }

    void pollUntil(BooleanSupplier done, List<Instance> instances) {
      pollUntil(done, instances, () -> "");
    }

    void pollUntil(
        BooleanSupplier done, List<Instance> instances, java.util.function.Supplier<String> what) {
      ledger.pollUntil(
          done,
          () -> instances.forEach(i -> i.process.assertAlive()),
          () -> what.get() + "; " + progress() + "; " + failures(instances));
    }

    String progress() {
      return "outputs so far: " + ledger.count() + " of " + RECORDS;
    }

    private static String failures(List<Instance> instances) {
      StringBuilder s = new StringBuilder();
      instances.forEach(i -> s.append("\n").append(i.process.failure()));
      return s.toString();
    }

    @Override
    public void close() {
      ledger.close();
    }
  }
}
