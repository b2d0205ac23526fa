package org.kfm.telemetry.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.kfm.telemetry.dev.bench.BenchTraffic;
import org.kfm.telemetry.routing.Routed;
import org.kfm.telemetry.routing.RoutingMetrics;
import org.kfm.telemetry.routing.ValidateProcessor;
import org.kfm.telemetry.topology.TelemetrySerdes;
import org.kfm.telemetry.validation.Validator;
import org.kfm.telemetry.validation.ValidatorOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The validating processor's whole per-record path, {@link ValidateProcessor#route}, on 10,000
 * records of {@code kfm bench}'s generated traffic (every kind, ~5 % invalid with secrets, ~15 %
 * CloudEvents): bounded parse, validation, and for an accepted record the payload digest, the
 * mapping to the Avro event and its encoding (the topology's own registry-backed serializer); for a
 * rejected one the dead letter's headers and redaction. One operation = one record, as the stream
 * thread receives it (a fresh {@link Record} with its own headers). Run with {@code -prof gc} for
 * the bytes allocated per record: {@code ./mvnw -B -Pbench test-compile exec:exec
 * -Dbench.args="RoutingBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingBenchmark {

  private static final String TOPIC = "kfm.telemetry.valid";

  private TelemetrySerdes serdes;
  private ValidateProcessor router;
  private List<ProducerRecord<byte[], byte[]>> records;
  private Header[][] headers;
  private int position;

  @Setup
  public void setUp() {
    serdes = TelemetrySerdes.of(Map.of("schema.registry.url", "mock://routing-benchmark"));
    router =
        new ValidateProcessor(
            new Validator(ValidatorOptions.defaults()),
            serdes.eventEncoder(),
            TOPIC,
            new RoutingMetrics(new SimpleMeterRegistry()),
            "bench");
    records =
        new BenchTraffic(42, 12, 1_000, Instant.now(), Duration.ofHours(1))
            .records("bench", 10_000);
    headers = new Header[records.size()][];
    for (int i = 0; i < headers.length; i++) {
      headers[i] = records.get(i).headers().toArray();
    }
  }

  @TearDown
  public void tearDown() {
    serdes.close();
  }

  @Benchmark
  public Record<byte[], Routed> route() {
    int at = position;
    position = at + 1 == headers.length ? 0 : at + 1;
    ProducerRecord<byte[], byte[]> raw = records.get(at);
    return router.route(
        new Record<>(raw.key(), raw.value(), 1_700_000_000_000L, new RecordHeaders(headers[at])));
  }
}
