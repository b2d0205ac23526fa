package org.kfm.telemetry.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.kfm.telemetry.app.ProduceCommand;

/**
 * The traffic of {@code kfm dev --demo}: the nine seed examples and a simulated day of pipeline
 * runs (started, step, completed; trace ids and energy reports on most) ending two hours before
 * now, a few records that must be dead-lettered (a bad ts, a secret, broken JSON), and one
 * duplicate. One pipeline ({@link #LOW_ENERGY_PIPELINE}) reports energy on too few runs, so the
 * health checks raise an alert once the last window of the day closes (its end + grace is already
 * in the past).
 */
public final class DemoTraffic {

  public static final List<String> SEEDS =
      List.of(
          "focus-query.json",
          "pipeline-run-completed.json",
          "pipeline-run-started.json",
          "pipeline-step.json",
          "policy-decision.json",
          "stream-checkpoint.json",
          "template-copy-me.json",
          "ui-action.json",
          "wpe-alert.json");
  public static final List<String> PIPELINES =
      List.of(
          "kfm.ingest.hydrology.stream_flow",
          "kfm.ingest.soils.ssurgo",
          "kfm.ingest.climate.daily_normals");
  public static final String LOW_ENERGY_PIPELINE = "kfm.ingest.imagery.landsat_tiles";
  static final int RUNS_PER_PIPELINE = 16;

  /**
   * The simulated day ends this long before now: its last window (end + 1h grace) is already
   * closed.
   */
  static final Duration DAY_ENDS_AGO = Duration.ofHours(2);

  /** The pause between two simulated hours, where nothing tells when the service has caught up. */
  public static final Duration PACE = Duration.ofMillis(400);

  private static final ObjectMapper JSON = new ObjectMapper();

  private DemoTraffic() {}

  /** One raw record: its timestamp (for ordering) and bytes. */
  record Raw(Instant ts, byte[] bytes) {}

  /** What happens between two simulated hours, once the first hour's records are acknowledged. */
  @FunctionalInterface
  public interface Pacer {
    void betweenHours() throws InterruptedException;
  }

  /** A pacer that sleeps {@code pause}. */
  public static Pacer sleeping(Duration pause) {
    return () -> Thread.sleep(pause.toMillis());
  }

  /**
   * Publishes everything to {@code topic}; returns the number of records sent (all acknowledged).
   */
  static int publish(String bootstrapServers, String topic, Instant now, Pacer pacer)
      throws InterruptedException {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("linger.ms", "5");
    props.putAll(ProduceCommand.PRODUCER_FORCED);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      return publish(producer, topic, now, pacer, (metadata, e) -> {});
    }
  }

  /**
   * Sends everything to {@code topic} through {@code producer}, in simulated-time order, with
   * {@code pacer} between two simulated hours, and flushes; {@code acks} hears of every send's
   * outcome. Returns the number sent.
   */
  public static int publish(
      Producer<byte[], byte[]> producer, String topic, Instant now, Pacer pacer, Callback acks)
      throws InterruptedException {
    List<Raw> ordered = new ArrayList<>(seeds(now));
    ordered.addAll(simulatedDay(now, new Random()));
    // in timestamp order, as the producers of a day would send them
    ordered.sort(Comparator.comparing(Raw::ts));
    List<Raw> records = new ArrayList<>(ordered);
    Instant last = ordered.get(ordered.size() - 1).ts();
    invalid(now).forEach(bytes -> records.add(new Raw(last, bytes)));
    records.add(
        ordered.get(ordered.size() - 1)); // a duplicate of the day's last event: dropped, counted
    // One simulated hour at a time, PACE apart: the day is replayed in seconds, but every stream
    // task sees hour h before any sees hour h + 1 (else a task ahead of the others closes windows
    // early and reports scopes as silent whose runs are still on their way).
    Instant hour = null;
    for (Raw record : records) {
      Instant recordHour = record.ts().truncatedTo(ChronoUnit.HOURS);
      if (hour != null && recordHour.isAfter(hour)) {
        producer.flush();
        pacer.betweenHours();
      }
      hour = recordHour;
      producer.send(
          new ProducerRecord<>(topic, ProduceCommand.key(record.bytes()), record.bytes()), acks);
    }
    producer.flush();
    return records.size();
  }

  /**
   * The seed examples, moved (keeping their spacing) so that the latest is half an hour before the
   * end of the simulated day, so that their pipeline's runs are not months older than the rest (a
   * silent scope). The signed wpe.alert keeps its ts: changing it would break its signature.
   */
  static List<Raw> seeds(Instant now) {
    Instant target = now.minus(DAY_ENDS_AGO).minus(Duration.ofMinutes(30));
    List<Raw> out = new ArrayList<>();
    Instant latest = null;
    List<ObjectNode> nodes = new ArrayList<>();
    for (String seed : SEEDS) {
      ObjectNode node = template(seed);
      nodes.add(node);
      if (!node.has("signature")) {
        Instant ts = Instant.parse(node.get("ts").asText());
        latest = latest == null || ts.isAfter(latest) ? ts : latest;
      }
    }
    Duration shift = latest == null ? Duration.ZERO : Duration.between(latest, target);
    for (int i = 0; i < SEEDS.size(); i++) {
      ObjectNode node = nodes.get(i);
      Instant ts = Instant.parse(node.get("ts").asText());
      if (node.has("signature")) {
        out.add(new Raw(ts, resource(SEEDS.get(i))));
      } else {
        node.put("ts", ts.plus(shift).toString());
        out.add(new Raw(ts.plus(shift), bytes(node)));
      }
    }
    return out;
  }

  /** The simulated day's run events, in timestamp order. */
  static List<Raw> simulatedDay(Instant now, Random random) {
    Instant end = now.minus(DAY_ENDS_AGO).truncatedTo(ChronoUnit.SECONDS);
    Instant start = end.minus(Duration.ofHours(24));
    long spacing = Duration.ofHours(24).toSeconds() / RUNS_PER_PIPELINE;
    ObjectNode started = template("pipeline-run-started.json");
    ObjectNode step = template("pipeline-step.json");
    ObjectNode completed = template("pipeline-run-completed.json");
    List<String> pipelines = new ArrayList<>(PIPELINES);
    pipelines.add(LOW_ENERGY_PIPELINE);
    List<Raw> out = new ArrayList<>();
    for (int p = 0; p < pipelines.size(); p++) {
      String pipeline = pipelines.get(p);
      for (int r = 0; r < RUNS_PER_PIPELINE; r++) {
        Instant runStart = start.plusSeconds(r * spacing + p * 300L + random.nextInt(600));
        String runId = String.format(Locale.ROOT, "01JDEMO%02d%04d%08X", p, r, random.nextInt());
        // the low-energy pipeline reports energy on every third run only (33% < the 90% SLO)
        boolean energy = !pipeline.equals(LOW_ENERGY_PIPELINE) || r % 3 == 0;
        String traceId = HexFormat.of().formatHex(bytes(random, 16));
        out.add(event(started, runStart, runId, pipeline, traceId, energy));
        out.add(
            event(
                step,
                runStart.plusSeconds(20 + random.nextInt(60)),
                runId,
                pipeline,
                traceId,
                energy));
        out.add(
            event(
                completed,
                runStart.plusSeconds(120 + random.nextInt(600)),
                runId,
                pipeline,
                traceId,
                energy));
      }
    }
    out.sort(Comparator.comparing(Raw::ts));
    return out;
  }

  /** Records the validator must dead-letter. */
  static List<byte[]> invalid(Instant now) {
    List<byte[]> out = new ArrayList<>();
    ObjectNode badTs = template("pipeline-run-started.json");
    badTs.put("ts", "yesterday at noon");
    out.add(bytes(badTs));
    ObjectNode secret = template("pipeline-step.json");
    secret.put("ts", now.minus(DAY_ENDS_AGO).toString());
    secret.put("message", "retrying the upload with access key AKIAIOSFODNN7EXAMPLE");
    out.add(bytes(secret));
    out.add(
        "{\"schema_version\": \"2.0.0\", \"kind\": \"pipeline.step\", \"ts\": "
            .getBytes(StandardCharsets.UTF_8));
    return out;
  }

  private static Raw event(
      ObjectNode template,
      Instant ts,
      String runId,
      String pipeline,
      String traceId,
      boolean energy) {
    ObjectNode e = template.deepCopy();
    e.put("ts", ts.toString());
    ObjectNode run = (ObjectNode) e.get("run");
    run.put("run_id", runId);
    run.put("pipeline", pipeline);
    run.remove("idempotency_key");
    ObjectNode correlation =
        e.has("correlation") ? (ObjectNode) e.get("correlation") : e.putObject("correlation");
    correlation.put("correlation_id", "req_" + runId.toLowerCase(Locale.ROOT));
    correlation.put("trace_id", traceId);
    correlation.remove("span_id");
    if (!energy) {
      if (e.get("metrics") instanceof ObjectNode metrics) {
        metrics.remove("energy_kwh_est");
        metrics.remove("carbon_kgco2e_est");
      }
      if (e.get("policy") instanceof ObjectNode policy) {
        policy.remove("energy_report_ref");
      }
      if (e.get("artifacts") instanceof ArrayNode artifacts) {
        for (int i = artifacts.size() - 1; i >= 0; i--) {
          if ("energy_report".equals(artifacts.get(i).path("type").asText())) {
            artifacts.remove(i);
          }
        }
      }
    }
    return new Raw(ts, bytes(e));
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    b[0] |= 1; // never all zero
    return b;
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode template(String name) {
    try {
      return (ObjectNode) JSON.readTree(resource(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] resource(String name) {
    try (InputStream in = DemoTraffic.class.getResourceAsStream("/demo/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource /demo/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
