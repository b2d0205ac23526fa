package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
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
import org.kfm.telemetry.testing.TcpProxy;
import org.kfm.telemetry.validation.ContractCatalogue;

/**
 * The schema registry goes away while records flow, behind a TCP proxy the test cuts (every live
 * connection reset, every new one reset at once), and no good record is dead-lettered because of
 * it, none is lost or doubled, the stream stalls and resumes by itself, and {@code /readyz} tells
 * the truth meanwhile. {@code kfm run} runs in a JVM of its own with the registry's default retry
 * policy (3 retries, 1 s doubling to 20 s, jittered: at most 7 s of waiting per registry request; a
 * reset connection fails at once), so both cuts outlast the retries many times over, and with one
 * stream thread (as on a one-CPU pod: every task on it, so the client may look RUNNING while the
 * thread is stuck in registry retries).
 *
 * <ol>
 *   <li>Cold cut: the registry is cut before the service starts, so its first registration meets
 *       the outage (no schema id is cached), and stays cut for 30 s after that first request.
 *   <li>Long cut (60 s): cut mid-stream while the schema ids are cached (records keep flowing); 8 s
 *       in, the service is killed (SIGKILL) and a fresh JVM takes over inside the outage: it has to
 *       register the valid topic's schema and to fetch the writer schema of the valid records the
 *       killed one wrote but its health sub-topology had not yet committed.
 * </ol>
 *
 * <p>Proven from a {@code read_committed} account of kfm.telemetry.valid and kfm.telemetry.dlq by
 * record key: every valid-by-construction record ends on the valid topic, the DLQ holds exactly the
 * invalid ones and none for a registry reason, nothing lost, nothing doubled; the valid topic moves
 * again after each cut by itself (time from restore to the next committed valid record measured);
 * the process lives through the outage (stream threads are replaced, the process does not exit);
 * {@code /readyz} answers 503 naming the registry while the stream is stalled by it, and 200 again
 * once records flow. Figures to target/reliability/figures.md.
 */
class RegistryOutageFaultIT {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VALID = "kfm.telemetry.valid";
  private static final String DLQ = "kfm.telemetry.dlq";

  /** One record in this many is invalid (a bad ts) and must be dead-lettered. */
  private static final int INVALID_EVERY = 10;

  /** Records per batch; a batch every {@link #PACE}: 40 records/s. */
  private static final int BATCH = 10;

  private static final Duration PACE = Duration.ofMillis(250);
  private static final Duration COLD_CUT = Duration.ofSeconds(30);
  private static final Duration LONG_CUT = Duration.ofSeconds(60);
  private static final Duration KILL_AFTER = Duration.ofSeconds(8);
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  @TempDir Path dir;

  private final List<ServiceProcess> processes = new ArrayList<>();
  private final AtomicBoolean producing = new AtomicBoolean(true);

  @AfterEach
  void stopEverything() throws IOException {
    producing.set(false);
    processes.forEach(ServiceProcess::close);
    // the services' logs outlive the temporary directory, for reading after a run
    Path logs =
        Files.createDirectories(
            FaultFigures.FILE.resolveSibling("logs").resolve("registry-outage"));
    for (ServiceProcess p : processes) {
      Files.copy(
          dir.resolve(p.name() + ".log"),
          logs.resolve(p.name() + ".log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void shouldStallAndResumeWithoutDeadLetteringGoodRecordsWhileTheRegistryIsCut() throws Exception {
    // Given the topics, the registry behind a proxy, and the service configured to reach the
    // registry only through the proxy
    TopicsFiles.apply(dir, KAFKA.bootstrapServers(), 2);
    URI registry = URI.create(KAFKA.registry().url());
    int httpPort = Ports.unused();
    try (TcpProxy proxy = TcpProxy.to(registry.getHost(), registry.getPort());
        Readiness readyz = new Readiness(httpPort);
        Outputs out = new Outputs()) {
      Path config =
          Files.writeString(
              dir.resolve("kfm.yaml"),
              """
          kafka:
            bootstrap.servers: %s
            state.dir: %s
            commit.interval.ms: 1000
            num.stream.threads: 1
            session.timeout.ms: 6000
            group.instance.id: kfm-0
          serde:
            schema.registry.url: http://127.0.0.1:%d
          health:
            alerts:
              enabled: false
          http:
            port: %d
          """
                  .formatted(
                      KAFKA.bootstrapServers(), dir.resolve("state"), proxy.port(), httpPort));

      // When the registry is cut before the service starts, records stream in, and the cut lasts
      // until 30 s after the service first met it
      readyz.phase("cold cut");
      proxy.cut();
      long coldCutStart = System.nanoTime();
      ServiceProcess first = start(config, "first");
      AtomicInteger sent = new AtomicInteger();
      CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> produce(sent));
      out.pollUntil(() -> proxy.reset() > 0, first, producer);
      out.pollFor(COLD_CUT, first, producer);
      int validDuringColdCut = out.valid();
      proxy.restore();
      readyz.phase("after cold cut");
      long coldRestored = System.nanoTime();
      out.pollUntil(() -> out.valid() > validDuringColdCut, first, producer);
      Duration coldRecovery = Duration.ofNanos(System.nanoTime() - coldRestored);
      readyz.awaitReady(first);

      // ... then, with the schema ids cached and records flowing, the registry is cut for 60 s;
      // 8 s in the service is killed and a fresh JVM takes over inside the outage
      out.pollFor(Duration.ofSeconds(3), first, producer);
      int longCutFrom = sent.get();
      readyz.phase("long cut, ids cached");
      int validAtLongCut = out.valid();
      proxy.cut();
      long longCutStart = System.nanoTime();
      int resetAtLongCut = proxy.reset();
      out.pollFor(KILL_AFTER, first, producer);
      int validWhileCachedCut = out.valid() - validAtLongCut;
      int resetWhileCached = proxy.reset() - resetAtLongCut;
      first.kill();
      readyz.phase("long cut, fresh JVM");
      ServiceProcess second = start(config, "second");
      out.pollUntil(() -> System.nanoTime() - longCutStart >= LONG_CUT.toNanos(), second, producer);
      int validDuringLongCut = out.valid();
      proxy.restore();
      readyz.phase("after long cut");
      long longRestored = System.nanoTime();
      out.pollUntil(() -> out.valid() > validDuringLongCut, second, producer);
      Duration longRecovery = Duration.ofNanos(System.nanoTime() - longRestored);
      readyz.awaitReady(second);
      out.pollFor(Duration.ofSeconds(3), second, producer);
      producing.set(false);
      producer.get();
      int total = sent.get();
      out.pollUntil(() -> out.keys() >= total, second, producer);
      out.drainToEnd(second);
      readyz.phase("end");

      // Then no good record was dead-lettered, nothing was lost or doubled, and the DLQ holds
      // exactly the invalid records, none for a registry reason
      List<String> keys = IntStream.range(0, total).mapToObj(RegistryOutageFaultIT::runId).toList();
      assertThat(out.ledger.missing(keys)).as("records lost; %s", second.failure()).isEmpty();
      assertThat(out.ledger.repeats()).as("records output more than once").isEmpty();
      out.byKey()
          .forEach(
              (key, topic) ->
                  assertThat(topic).as("topic of %s", key).isEqualTo(invalid(key) ? DLQ : VALID));
      assertThat(out.registryDeadLetters()).as("dead letters blaming the registry").isEmpty();

      // And the outage bit: nothing valid came out during the cold cut, the fresh JVM met the cut
      // too, and each time the valid topic moved again by itself after the restore
      assertThat(validDuringColdCut).as("valid records out during the cold cut").isZero();
      assertThat(first.log())
          .as("first instance's log")
          .contains("SchemaRegistryUnavailableException")
          .contains("replacing the thread");
      assertThat(second.log())
          .as("second instance's log")
          .contains("SchemaRegistryUnavailableException");
      // (with its ids cached the service needs the registry only for a subject it has not written
      // yet: the first health check, emitted when the wall clock says so, may fall into the cut)
      boolean cachedCutBit = readyz.namedTheRegistry("long cut, ids cached");
      assertThat(validWhileCachedCut > 0 || cachedCutBit)
          .as(
              "valid records flowed while the ids were cached (%d), or /readyz said what stalled"
                  + " them: %s",
              validWhileCachedCut, readyz.summary("long cut, ids cached"))
          .isTrue();

      // And the process lived through the outage, and stops cleanly
      assertThat(second.isAlive()).as(second.failure()).isTrue();

      // And /readyz said 503, naming the registry, while the stream was stalled by it, and 200
      // once records flowed again
      assertThat(readyz.namedTheRegistry("cold cut")).as("/readyz named the registry").isTrue();
      assertThat(readyz.namedTheRegistry("long cut, fresh JVM"))
          .as("/readyz named the registry")
          .isTrue();
      readyz.assertNotReadyOnceStalled("cold cut");
      readyz.assertNotReadyOnceStalled("long cut, ids cached");
      readyz.assertNotReadyOnceStalled("long cut, fresh JVM");
      assertThat(readyz.last().status()).as("last /readyz answer").isEqualTo(200);
      int exit = second.stop();
      assertThat(exit).as("exit status after SIGTERM; %s", second.failure()).isEqualTo(143);

      new FaultFigures(
              "registry cut from before start until 30 s after the service's first registry request"
                  + " (1 broker, fresh JVM, no cached schema id)",
              longCutFrom,
              out.count(VALID, 0, longCutFrom),
              out.count(DLQ, 0, longCutFrom),
              -1,
              out.lost(0, longCutFrom),
              out.repeats(0, longCutFrom),
              coldRecovery,
              "cut %.0f s in all; 0 valid out during it; %d thread replacements; /readyz: %s"
                  .formatted(
                      (coldRestored - coldCutStart) / 1e9,
                      count(first.log(), "replacing the thread"),
                      readyz.summary("cold cut")))
          .write();
      new FaultFigures(
              "registry cut 60 s mid-stream (> the 7 s retry budget); SIGKILL 8 s in, fresh JVM"
                  + " inside the cut",
              total - longCutFrom,
              out.count(VALID, longCutFrom, total),
              out.count(DLQ, longCutFrom, total),
              -1,
              out.lost(longCutFrom, total),
              out.repeats(longCutFrom, total),
              longRecovery,
              ("first 8 s, ids cached: %d valid out, %d registry connections reset%s; fresh"
                      + " JVM: %d thread replacements; /readyz cached part: %s; fresh JVM: %s")
                  .formatted(
                      validWhileCachedCut,
                      resetWhileCached,
                      cachedCutBit
                          ? " (the first health check's registration fell into the cut)"
                          : "",
                      count(second.log(), "replacing the thread"),
                      readyz.summary("long cut, ids cached"),
                      readyz.summary("long cut, fresh JVM")))
          .write();
    }
  }

  /** Sends distinct runs in batches of {@link #BATCH} every {@link #PACE} until told to stop. */
  private void produce(AtomicInteger sent) {
    Map<String, Object> configs =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(configs, new ByteArraySerializer(), new ByteArraySerializer())) {
      ObjectNode template =
          (ObjectNode) JSON.readTree(ContractCatalogue.seed("pipeline-run-completed"));
      for (int i = 0; producing.get(); i++) {
        String runId = runId(i);
        ObjectNode event = template.deepCopy();
        ((ObjectNode) event.get("run")).put("run_id", runId);
        event.put("ts", i % INVALID_EVERY == 0 ? "yesterday" : Instant.now().toString());
        producer.send(
            new ProducerRecord<>(
                "kfm.telemetry.raw",
                runId.getBytes(StandardCharsets.UTF_8),
                JSON.writeValueAsBytes(event)));
        if (i % BATCH == BATCH - 1) {
          producer.flush();
          sent.set(i + 1);
          Thread.sleep(PACE.toMillis());
        }
      }
      producer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A ULID-shaped run id (26 Crockford base-32 characters) for record {@code i}. */
  private static String runId(int i) {
    return "01J0M7Q8J7Y7P4B9D1M2" + String.format("%06d", i);
  }

  private static int index(String runId) {
    return Integer.parseInt(runId.substring(20));
  }

  private static boolean invalid(String runId) {
    return index(runId) % INVALID_EVERY == 0;
  }

  private static long count(String text, String what) {
    return text.lines().filter(l -> l.contains(what)).count();
  }

  private ServiceProcess start(Path config, String name) {
    ServiceProcess process = ServiceProcess.run(dir, name, config);
    processes.add(process);
    return process;
  }

  /** The ledger of the valid topic and the DLQ, polled with the service's liveness checked. */
  private static final class Outputs implements AutoCloseable {
    private final CommittedReader reader =
        CommittedReader.fromBeginning(
            KAFKA.bootstrapServers(), OutputLedger.TOPICS, DEADLINE, Duration.ofMillis(100));
    private final OutputLedger ledger = new OutputLedger(reader);

    int keys() {
      return ledger.byKey().size();
    }

    int valid() {
      return (int) ledger.on(VALID);
    }

    Map<String, String> byKey() {
      return ledger.byKey();
    }

    long count(String topic, int from, int to) {
      return byKey().entrySet().stream()
          .filter(e -> e.getValue().equals(topic) && index(e.getKey()) >= from)
          .filter(e -> index(e.getKey()) < to)
          .count();
    }

    long lost(int from, int to) {
      return ledger
          .missing(IntStream.range(from, to).mapToObj(RegistryOutageFaultIT::runId).toList())
          .size();
    }

    long repeats(int from, int to) {
      return ledger.repeats().stream()
          .filter(k -> index(k) >= from && index(k) < to)
          .distinct()
          .count();
    }

    /** Dead letters whose exception or message names the schema registry. */
    List<String> registryDeadLetters() {
      return reader.records(DLQ).stream()
          .filter(r -> headers(r).toLowerCase().contains("registry"))
          .map(r -> new String(r.key(), StandardCharsets.UTF_8) + ": " + headers(r))
          .toList();
    }

    private static String headers(ConsumerRecord<byte[], byte[]> record) {
      List<String> texts = new ArrayList<>();
      for (Header h : record.headers()) {
        if (h.key().startsWith("__streams.errors.")) {
          texts.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8));
        }
      }
      return String.join("; ", texts);
    }

    void pollUntil(BooleanSupplier done, ServiceProcess service, CompletableFuture<?> producer) {
      ledger.pollUntil(
          done,
          () -> {
            service.assertAlive();
            if (producer.isCompletedExceptionally()) {
              producer.join();
            }
          },
          () -> "outputs so far: " + keys() + " keys; " + service.failure());
    }

    /** Keeps reading for {@code span}, checking the service lives. */
    void pollFor(Duration span, ServiceProcess service, CompletableFuture<?> producer) {
      long until = System.nanoTime() + span.toNanos();
      pollUntil(() -> System.nanoTime() >= until, service, producer);
    }

    void drainToEnd(ServiceProcess service) {
      ledger.drainToEnd(service::assertAlive, () -> "draining; " + service.failure());
    }

    @Override
    public void close() {
      ledger.close();
    }
  }

  /** {@code GET /readyz} every 250 ms, each answer noted with the phase of the scenario. */
  private static final class Readiness implements AutoCloseable {

    record Sample(String phase, long nanos, int status, String body) {}

    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final URI uri;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile String phase = "start";
    private volatile boolean stopped;

    Readiness(int port) {
      uri = URI.create("http://127.0.0.1:" + port + "/readyz");
      poller = new Thread(this::poll, "readyz-poller");
      poller.setDaemon(true);
      poller.start();
    }

    void phase(String name) {
      phase = name;
    }

    private void poll() {
      while (!stopped) {
        String now = phase;
        long at = System.nanoTime();
        Sample sample;
        try {
          HttpResponse<String> answer =
              http.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.ofString());
          sample = new Sample(now, at, answer.statusCode(), answer.body().strip());
        } catch (IOException e) {
          sample = new Sample(now, at, -1, "no answer: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
          return;
        }
        samples.add(sample);
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    Sample last() {
      return samples.get(samples.size() - 1);
    }

    /** Waits (bounded) until /readyz answers 200 again. */
    void awaitReady(ServiceProcess service) throws InterruptedException {
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      int from = samples.size();
      while (samples.subList(from, samples.size()).stream().noneMatch(s -> s.status() == 200)) {
        service.assertAlive();
        assertThat(System.nanoTime())
            .as("/readyz 200 after the cut; answers: %s; %s", summary(phase), service.failure())
            .isLessThan(until);
        Thread.sleep(100);
      }
    }

    /** Whether an answer of {@code phase} was 503 naming the schema registry. */
    boolean namedTheRegistry(String phase) {
      return samples.stream().anyMatch(s -> s.phase().equals(phase) && stalledByRegistry(s));
    }

    /**
     * From the first answer of {@code phase} that names the registry to the end of the phase, no
     * answer was 200: /readyz did not claim readiness while the stream was stalled by the cut.
     */
    void assertNotReadyOnceStalled(String phase) {
      List<Sample> during = samples.stream().filter(s -> s.phase().equals(phase)).toList();
      int first = -1;
      for (int i = 0; i < during.size() && first < 0; i++) {
        first = stalledByRegistry(during.get(i)) ? i : -1;
      }
      if (first >= 0) {
        assertThat(during.subList(first, during.size()))
            .as("/readyz after the first 503 naming the registry, %s: %s", phase, summary(phase))
            .noneMatch(s -> s.status() == 200);
      }
    }

    private static boolean stalledByRegistry(Sample s) {
      return s.status() == 503 && s.body().contains("stalled: the schema registry");
    }

    /** e.g. {@code 200×12, 503 "RUNNING, stalled: ..."×40} in order of first appearance. */
    String summary(String phase) {
      Map<String, Long> counts =
          samples.stream()
              .filter(s -> s.phase().equals(phase))
              .collect(
                  Collectors.groupingBy(
                      s ->
                          s.status()
                              + (s.status() == 200
                                  ? ""
                                  : " " + s.body().replaceAll(" since .*", "").strip()),
                      java.util.LinkedHashMap::new,
                      Collectors.counting()));
      return counts.entrySet().stream()
          .map(e -> e.getKey() + " ×" + e.getValue())
          .collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
      stopped = true;
      poller.interrupt();
      samples.stream()
          .map(Sample::phase)
          .distinct()
          .forEach(p -> System.out.println("/readyz during " + p + ": " + summary(p)));
    }
  }
}
