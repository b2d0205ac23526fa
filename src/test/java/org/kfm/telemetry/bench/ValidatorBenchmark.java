package org.kfm.telemetry.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.kfm.telemetry.contract.BoundedJsonParser;
import org.kfm.telemetry.contract.Canonical;
import org.kfm.telemetry.dev.bench.BenchTraffic;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The validator's throughput on the nine seed examples ({@code corpus=seeds}) or on 10,000 records
 * of {@code kfm bench}'s generated traffic ({@code corpus=traffic}: every kind, realistic sizes, 5
 * % invalid, some CloudEvents), next to bare Jackson tree parsing of the same bytes in the same run
 * (the floor any validator must stand on). One operation = one record. Run: {@code ./mvnw -B
 * -Pbench test-compile exec:exec} (see docs/performance.md).
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

  private static final int TRAFFIC_RECORDS = 10_000;

  @Param({"seeds", "traffic"})
  public String corpus;

  private byte[][] records;
  private ObjectMapper mapper;
  private Validator validator;
  private BoundedJsonParser parser;

  @Setup
  public void setUp() throws IOException {
    mapper = new ObjectMapper();
    validator = new Validator(ValidatorOptions.defaults());
    parser = new BoundedJsonParser(ValidatorOptions.defaults().limits());
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
    if (corpus.equals("traffic")) {
      records =
          new BenchTraffic(42, 12, 1_000, Instant.now(), Duration.ofHours(1))
              .records("bench", TRAFFIC_RECORDS).stream()
                  .map(ProducerRecord::value)
                  .toArray(byte[][]::new);
    }
    List<JsonNode> objects = new ArrayList<>();
    for (byte[] record : records) {
      try {
        JsonNode tree = mapper.readTree(record);
        if (tree != null && tree.isObject()) {
          objects.add(tree);
        }
      } catch (JsonProcessingException e) {
        // not JSON: the service never digests it
      }
    }
    trees = objects.toArray(JsonNode[]::new);
  }

  @Benchmark
  public void jacksonReadTree(Blackhole bh) throws IOException {
    try {
      bh.consume(mapper.readTree(next()));
    } catch (JsonProcessingException e) {
      // the traffic's unparseable records (truncated, not JSON): the parser's time still counts
      bh.consume(e);
    }
  }

  /**
   * The payload digest the service computes for every accepted record (RFC 8785 canonical JSON into
   * SHA-256), on the corpus's records that are JSON objects.
   */
  @Benchmark
  public void canonicalDigest(Blackhole bh) {
    bh.consume(Canonical.sha256(trees[treePosition]));
    treePosition = treePosition + 1 == trees.length ? 0 : treePosition + 1;
  }

  /**
   * The validator's own parse alone (bounded, strict UTF-8, duplicate keys refused) into the tree
   * the rules read: what {@code validate} spends before its first rule.
   */
  @Benchmark
  public void boundedParse(Blackhole bh) {
    bh.consume(parser.parse(next()));
  }

  @Benchmark
  public void validate(Blackhole bh) {
    bh.consume(validator.validate(next()));
  }

  private int position;
  private JsonNode[] trees;
  private int treePosition;

  private byte[] next() {
    byte[] record = records[position];
    position = position + 1 == records.length ? 0 : position + 1;
    return record;
  }
}
