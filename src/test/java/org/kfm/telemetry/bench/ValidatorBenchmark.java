package org.kfm.telemetry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.kfm.telemetry.validation.Validator;
import org.kfm.telemetry.validation.ValidatorOptions;
import org.kfm.telemetry.validation.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The validator's throughput on the nine seed examples, next to bare Jackson tree parsing of the
 * same bytes in the same run (the floor any validator must stand on). One operation = one record.
 * Run: {@code ./mvnw -B -Pbench test-compile exec:exec} (see docs/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ValidatorBenchmark {

  private static final String[] SEEDS = {
    "focus-query",
    "pipeline-run-completed",
    "pipeline-run-started",
    "pipeline-step",
    "policy-decision",
    "stream-checkpoint",
    "template-copy-me",
    "ui-action",
    "wpe-alert"
  };

  private byte[][] records;
  private ObjectMapper mapper;
  private Validator validator;

  @Setup
  public void setUp() throws IOException {
    mapper = new ObjectMapper();
    validator = new Validator(ValidatorOptions.defaults());
    records = new byte[SEEDS.length][];
    for (int i = 0; i < SEEDS.length; i++) {
      try (InputStream in =
          ValidatorBenchmark.class.getResourceAsStream("/seed-examples/" + SEEDS[i] + ".json")) {
        // compact, as producers send them on the wire
        records[i] = mapper.writeValueAsBytes(mapper.readTree(in));
      }
    }
    for (byte[] record : records) {
      Verdict verdict = validator.validate(record);
      if (!verdict.valid()) {
        throw new IllegalStateException("seed example rejected: " + verdict.errors());
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(9)
  public void jacksonReadTree(Blackhole bh) throws IOException {
    for (byte[] record : records) {
      JsonNode tree = mapper.readTree(record);
      bh.consume(tree);
    }
  }

  @Benchmark
  @OperationsPerInvocation(9)
  public void validate(Blackhole bh) {
    for (byte[] record : records) {
      bh.consume(validator.validate(record));
    }
  }
}
