package org.kfm.telemetry.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.contract.Canonical;
import org.kfm.telemetry.contract.TelemetryEvents;
import org.kfm.telemetry.dev.bench.BenchTraffic;
import org.kfm.telemetry.health.RunFacts;
import org.kfm.telemetry.routing.DeadLetters;
import org.kfm.telemetry.topology.TelemetrySerdes;
import org.kfm.telemetry.validation.Validator;
import org.kfm.telemetry.validation.ValidatorOptions;
import org.kfm.telemetry.validation.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Avro part of the service's per-record path, on the valid events of 10,000 records of {@code
 * kfm bench}'s generated traffic: {@code encode} is what the validating processor does to every
 * accepted event (the topology's own serializer, registry-backed, Confluent wire format); {@code
 * decodeEvent} what the health source does to every record of {@code kfm.telemetry.valid} (the
 * topology's own deserializer), and {@code decodeFacts} the same followed by {@link RunFacts}, all
 * the run tracker takes from it. One operation = one event. Run: {@code ./mvnw -B -Pbench
 * test-compile exec:exec -Dbench.args="AvroCodecBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AvroCodecBenchmark {

  private static final String TOPIC = "kfm.telemetry.valid";

  /**
   * How many of the events to cycle through: all of them (~9,500, tens of MB: every event comes
   * from memory, as a consumer's records do), or a few that stay in the CPU's caches, as the event
   * the validating processor has just built does when it encodes it.
   */
  @Param({"10000", "64"})
  public int distinct;

  private TelemetrySerdes serdes;
  private Serializer<TelemetryEvent> serializer;
  private Deserializer<TelemetryEvent> deserializer;
  private Deserializer<org.kfm.telemetry.health.RunEvent> runEvents;
  private TelemetryEvent[] events;
  private Verdict[] accepted;
  private byte[][] encoded;
  private int position;

  @Setup
  public void setUp() {
    serdes = TelemetrySerdes.of(Map.of("schema.registry.url", "mock://avro-codec-benchmark"));
    serializer = serdes.events().serializer();
    deserializer = serdes.events().deserializer();
    runEvents = serdes.runEvents().deserializer();
    Validator validator = new Validator(ValidatorOptions.defaults());
    List<TelemetryEvent> valid = new ArrayList<>();
    List<Verdict> verdicts = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> record :
        new BenchTraffic(42, 12, 1_000, Instant.now(), Duration.ofHours(1))
            .records("bench", 10_000)) {
      Verdict verdict = validator.validate(record.value(), DeadLetters.toMap(record.headers()));
      if (verdict.valid()) {
        verdicts.add(verdict);
        valid.add(
            TelemetryEvents.toEvent(
                verdict.payload(),
                verdict.envelope(),
                "2.0.0",
                List.of(),
                Canonical.sha256(verdict.payload())));
      }
    }
    events = valid.toArray(TelemetryEvent[]::new);
    accepted = verdicts.toArray(Verdict[]::new);
    encoded = new byte[events.length][];
    for (int i = 0; i < events.length; i++) {
      encoded[i] = serializer.serialize(TOPIC, events[i]);
    }
  }

  @TearDown
  public void tearDown() {
    serdes.close();
  }

  private int next() {
    int at = position;
    position = at + 1 == Math.min(distinct, events.length) ? 0 : at + 1;
    return at;
  }

  @Benchmark
  public byte[] encode() {
    return serializer.serialize(TOPIC, events[next()]);
  }

  /** The mapping of an accepted payload to its event, which {@code encode} then writes. */
  @Benchmark
  public TelemetryEvent toEvent() {
    Verdict verdict = accepted[next()];
    return TelemetryEvents.toEvent(
        verdict.payload(), verdict.envelope(), "2.0.0", List.of(), "sha256:0");
  }

  /** What the validating processor did before the direct writer: the event, then its encoding. */
  @Benchmark
  public byte[] toEventAndEncode() {
    Verdict verdict = accepted[next()];
    return serializer.serialize(
        TOPIC,
        TelemetryEvents.toEvent(
            verdict.payload(), verdict.envelope(), "2.0.0", List.of(), "sha256:0"));
  }

  private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream(4096);
  private org.apache.avro.io.BinaryEncoder direct;

  /** The same bytes (without the 5-byte header) written straight from the payload. */
  @Benchmark
  public byte[] writeDirect() throws java.io.IOException {
    Verdict verdict = accepted[next()];
    buffer.reset();
    direct = org.apache.avro.io.EncoderFactory.get().binaryEncoder(buffer, direct);
    TelemetryEvents.write(
        verdict.payload(), verdict.envelope(), "2.0.0", List.of(), "sha256:0", direct);
    direct.flush();
    return buffer.toByteArray();
  }

  @Benchmark
  public TelemetryEvent decodeEvent() {
    return deserializer.deserialize(TOPIC, encoded[next()]);
  }

  /** What the health source does now: the facts read from the body, the event never built. */
  @Benchmark
  public org.kfm.telemetry.health.RunEvent readFacts() {
    return runEvents.deserialize(TOPIC, encoded[next()]);
  }

  @Benchmark
  public void decodeFacts(Blackhole bh) {
    TelemetryEvent event = deserializer.deserialize(TOPIC, encoded[next()]);
    bh.consume(RunFacts.of(event));
    bh.consume(event.getEventTime());
  }
}
