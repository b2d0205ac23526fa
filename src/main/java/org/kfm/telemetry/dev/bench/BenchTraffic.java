package org.kfm.telemetry.dev.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;

/**
 * Seeded, realistic raw traffic for the benchmark: pipeline runs of many pipelines (started, steps,
 * completed or failed; trace context and energy reports on most), focus queries, UI actions, policy
 * decisions and stream checkpoints, built from the contract's seed examples with their sizes; about
 * 15 % as CloudEvents (structured, or binary with {@code ce_*} headers); about 5 % invalid (a bad
 * {@code ts}, a secret, broken JSON, no join key, a negative count); about 1 % exact duplicates
 * written to another partition than their original. The same seed gives the same records.
 */
public final class BenchTraffic {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SESSIONS = {
    "focus-query.json", "ui-action.json", "policy-decision.json", "stream-checkpoint.json"
  };

  private final Random random;
  private final int partitions;
  private final int pipelines;
  private final Instant start;
  private final Duration span;
  private final ObjectNode started = template("pipeline-run-started.json");
  private final ObjectNode step = template("pipeline-step.json");
  private final ObjectNode completed = template("pipeline-run-completed.json");
  private final List<ObjectNode> sessions = new ArrayList<>();
  private int runs;

  /**
   * @param seed the random seed
   * @param partitions the raw topic's partitions (records are keyed and placed as Kafka's default
   *     partitioner would; a duplicate goes to the next partition)
   * @param pipelines how many pipelines the runs belong to
   * @param end the payloads' ts are spread over {@code span} before it
   * @param span how much event time the records cover
   */
  public BenchTraffic(long seed, int partitions, int pipelines, Instant end, Duration span) {
    this.random = new Random(seed);
    this.partitions = partitions;
    this.pipelines = pipelines;
    this.span = span;
    this.start = end.minus(span);
    for (String name : SESSIONS) {
      sessions.add(template(name));
    }
  }

  /** {@code count} records for {@code topic}, in ts order. */
  public List<ProducerRecord<byte[], byte[]>> records(String topic, int count) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(count);
    forEach(topic, count, out::add);
    return out;
  }

  /**
   * The same records as {@link #records}, handed to {@code sink} one at a time as they are made
   * (millions of records need not fit in the heap at once).
   */
  public void forEach(String topic, int count, Consumer<ProducerRecord<byte[], byte[]>> sink) {
    long spacingMs = Math.max(1, span.toMillis() / Math.max(1, count));
    int made = 0;
    int i = 0;
    while (made < count) {
      Instant ts = start.plusMillis(spacingMs * i++);
      List<ObjectNode> events = random.nextInt(100) < 70 ? run(ts) : List.of(session(ts));
      for (ObjectNode event : events) {
        if (made == count) {
          break;
        }
        ProducerRecord<byte[], byte[]> record = record(topic, event);
        sink.accept(record);
        made++;
        if (random.nextInt(100) == 0 && made < count) {
          sink.accept(
              new ProducerRecord<>(
                  topic,
                  (record.partition() + 1) % partitions,
                  record.key(),
                  record.value(),
                  record.headers()));
          made++;
        }
      }
    }
  }

  /**
   * One run of a pipeline: started, one to three steps, completed (or, one run in twenty, failed).
   */
  private List<ObjectNode> run(Instant ts) {
    String pipeline = "kfm.bench.pipeline-" + random.nextInt(pipelines);
    String runId = String.format(Locale.ROOT, "01JBENCH%010d%08X", runs++, random.nextInt());
    String traceId = random.nextInt(100) < 97 ? HexFormat.of().formatHex(bytes(16)) : null;
    boolean energy = random.nextInt(100) < 92;
    List<ObjectNode> events = new ArrayList<>();
    events.add(runEvent(started, ts, runId, pipeline, traceId, energy));
    int steps = 1 + random.nextInt(3);
    for (int s = 0; s < steps; s++) {
      events.add(runEvent(step, ts.plusSeconds(10L * (s + 1)), runId, pipeline, traceId, energy));
    }
    ObjectNode last = runEvent(completed, ts.plusSeconds(60), runId, pipeline, traceId, energy);
    if (random.nextInt(20) == 0) {
      last.put("kind", "pipeline.run.failed");
      last.put("level", "error");
    }
    events.add(last);
    return events;
  }

  private ObjectNode runEvent(
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
    run.put("idempotency_key", "sha256:" + HexFormat.of().formatHex(bytes(32)));
    ObjectNode correlation =
        e.has("correlation") ? (ObjectNode) e.get("correlation") : e.putObject("correlation");
    correlation.put("correlation_id", "req_" + runId.toLowerCase(Locale.ROOT));
    if (traceId == null) {
      correlation.remove("trace_id");
      correlation.remove("span_id");
    } else {
      correlation.put("trace_id", traceId);
      correlation.put("span_id", HexFormat.of().formatHex(bytes(8)));
    }
    if (!energy && e.get("metrics") instanceof ObjectNode metrics) {
      metrics.remove("energy_kwh_est");
      metrics.remove("carbon_kgco2e_est");
    }
    if (!energy && e.get("policy") instanceof ObjectNode policy) {
      policy.remove("energy_report_ref");
    }
    return e;
  }

  private ObjectNode session(Instant ts) {
    ObjectNode e = sessions.get(random.nextInt(sessions.size())).deepCopy();
    e.put("ts", ts.toString());
    ObjectNode correlation =
        e.has("correlation") ? (ObjectNode) e.get("correlation") : e.putObject("correlation");
    correlation.put("correlation_id", "sess_" + HexFormat.of().formatHex(bytes(8)));
    if (correlation.has("trace_id")) {
      correlation.put("trace_id", HexFormat.of().formatHex(bytes(16)));
    }
    if (e.get("run") instanceof ObjectNode run) {
      run.put("run_id", String.format(Locale.ROOT, "01JBENCHS%09d%08X", runs++, random.nextInt()));
    }
    return e;
  }

  /** The record of one event: invalid one time in twenty, a CloudEvent about one time in seven. */
  private ProducerRecord<byte[], byte[]> record(String topic, ObjectNode event) {
    String key = event.path("run").path("run_id").asText(null);
    if (key == null) {
      key = event.path("correlation").path("correlation_id").asText("none");
    }
    RecordHeaders headers = new RecordHeaders();
    byte[] value;
    int dice = random.nextInt(100);
    if (dice < 5) {
      value = invalid(event, dice);
    } else if (dice < 15) {
      ObjectNode envelope = JSON.createObjectNode();
      envelope.put("specversion", "1.0");
      envelope.put("id", "evt-" + HexFormat.of().formatHex(bytes(12)));
      envelope.put("source", "/kfm/bench/" + event.path("kind").asText());
      envelope.put("type", "org.kfm.telemetry." + event.path("kind").asText());
      envelope.put("datacontenttype", "application/json");
      envelope.set("data", event);
      value = bytes(envelope);
    } else if (dice < 20) {
      headers.add("ce_specversion", utf8("1.0"));
      headers.add("ce_id", utf8("evt-" + HexFormat.of().formatHex(bytes(12))));
      headers.add("ce_source", utf8("/kfm/bench/binary"));
      headers.add("ce_type", utf8("org.kfm.telemetry." + event.path("kind").asText()));
      headers.add("content-type", utf8("application/json"));
      value = bytes(event);
    } else {
      value = bytes(event);
    }
    byte[] keyBytes = utf8(key);
    int partition = Utils.toPositive(Utils.murmur2(keyBytes)) % partitions;
    return new ProducerRecord<>(topic, partition, keyBytes, value, headers);
  }

  private byte[] invalid(ObjectNode event, int dice) {
    ObjectNode e = event.deepCopy();
    switch (dice) {
      case 0 -> e.put("ts", "yesterday at noon");
      case 1 -> e.put("message", "retrying with access key AKIAIOSFODNN7EXAMPLE and its secret");
      case 2 -> {
        byte[] whole = bytes(e);
        byte[] broken = new byte[whole.length / 2];
        System.arraycopy(whole, 0, broken, 0, broken.length);
        return broken;
      }
      case 3 -> {
        e.remove("run");
        e.remove("correlation");
      }
      default -> e.putObject("metrics").put("duration_ms", -5);
    }
    return bytes(e);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    b[0] |= 1; // never all zero
    return b;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode template(String name) {
    try (InputStream in = BenchTraffic.class.getResourceAsStream("/demo/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource /demo/" + name);
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
