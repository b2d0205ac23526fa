package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path SEEDS = Path.of("src/test/resources/seed-examples");

  @TempDir Path dir;

  private final Cli cli = new Cli();

  private List<JsonNode> lines() throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : cli.out.toString().split("\n")) {
      if (!line.isBlank()) {
        lines.add(MAPPER.readTree(line));
      }
    }
    return lines;
  }

  @Test
  void shouldExitZeroAndReportEverySeedExampleValid() throws IOException {
    List<String> args = new ArrayList<>(List.of("validate"));
    try (var files = Files.list(SEEDS)) {
      files.sorted().forEach(p -> args.add(p.toString()));
    }

    int exit = cli.run(args.toArray(String[]::new));

    assertThat(exit).isZero();
    assertThat(lines())
        .hasSize(9)
        .allSatisfy(
            line -> {
              assertThat(line.get("valid").asBoolean()).isTrue();
              assertThat(line.get("record").asInt()).isEqualTo(1);
              assertThat(line.get("errors").size()).isZero();
            });
    assertThat(cli.err.toString())
        .contains("9 records in 9 files: 9 valid (2 with warnings), 0 invalid");
  }

  @Test
  void shouldReadNdjsonLinesAsRawBytesSkippingBlankLinesAndExitOne() throws IOException {
    String seed = Files.readString(SEEDS.resolve("ui-action.json")).replace("\n", "");
    Path file = dir.resolve("batch.ndjson");
    Files.writeString(
        file, seed + "\n\n   \n{\"kind\":\"x\"}\r\n" + seed.replace("\"info\"", "\"loud\"") + "\n");

    int exit = cli.run("validate", file.toString());

    assertThat(exit).isEqualTo(1);
    List<JsonNode> lines = lines();
    assertThat(lines).extracting(l -> l.get("record").asInt()).containsExactly(1, 2, 3);
    assertThat(lines).extracting(l -> l.get("line").asInt()).containsExactly(1, 4, 5);
    assertThat(lines)
        .extracting(l -> l.get("valid").asBoolean())
        .containsExactly(true, false, false);
    JsonNode error = lines.get(2).get("errors").get(0);
    assertThat(error.get("rule").asText()).isEqualTo("KFM-META-005");
    assertThat(error.get("path").asText()).isEqualTo("/level");
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(lines.get(1).get("kind").isNull()).isTrue();
  }

  @Test
  void shouldWriteTheSameOutputInInputOrderWhateverTheNumberOfThreads() throws IOException {
    // Given a file of several batches: every seed example, a record too large and an invalid one,
    // over and over, with blank lines between
    List<String> seeds = new ArrayList<>();
    try (var files = Files.list(SEEDS)) {
      for (Path p : files.sorted().toList()) {
        seeds.add(Files.readString(p).replace("\n", ""));
      }
    }
    seeds.add("{\"kind\":\"x\"}");
    String tooLarge = "{\"pad\":\"" + "x".repeat(1_100_000) + "\"}";
    StringBuilder ndjson = new StringBuilder();
    int records = 0;
    for (int i = 0; records < 2_000; i++) {
      ndjson.append(i == 10 ? tooLarge : seeds.get(i % seeds.size()));
      ndjson.append(i % 7 == 0 ? "\n\n" : "\n");
      records++;
    }
    Path file = dir.resolve("many.ndjson");
    Files.writeString(file, ndjson);

    // When it is validated on one thread and on three
    int oneExit = cli.run("validate", "--threads", "1", file.toString());
    String one = cli.out.toString();
    String oneSummary = cli.err.toString();
    Cli three = new Cli();
    int threeExit = three.run("validate", "--threads", "3", file.toString());

    // Then the outputs are the same, record by record, in input order
    assertThat(oneExit).isEqualTo(1);
    assertThat(threeExit).isEqualTo(1);
    assertThat(three.out.toString()).isEqualTo(one);
    assertThat(three.err.toString()).isEqualTo(oneSummary);
    List<JsonNode> lines = lines();
    assertThat(lines).hasSize(2_000);
    assertThat(lines).extracting(l -> l.get("record").asInt()).isSorted().doesNotHaveDuplicates();
    assertThat(lines.get(1_999).get("record").asInt()).isEqualTo(2_000);
    assertThat(lines).extracting(l -> l.get("line").asInt()).isSorted();
    assertThat(lines.get(10).get("errors").get(0).get("rule").asText())
        .as("the record too large")
        .isEqualTo("KFM-PARSE-005");
  }

  @Test
  void shouldRefuseFewerThanOneThread() {
    assertThat(cli.run("validate", "--threads", "0", "x.ndjson")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--threads must be at least 1").doesNotContain("\tat ");
  }

  @Test
  void shouldReadStandardInputForDash() throws IOException {
    InputStream stdin = System.in;
    try {
      System.setIn(
          new ByteArrayInputStream("{\"not\":\"telemetry\"}\n".getBytes(StandardCharsets.UTF_8)));
      int exit = cli.run("validate", "-");
      assertThat(exit).isEqualTo(1);
      assertThat(lines())
          .singleElement()
          .satisfies(l -> assertThat(l.get("file").asText()).isEqualTo("-"));
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void shouldExitTwoWithOneReadableLineForAMissingFile() {
    int exit = cli.run("validate", dir.resolve("nope.ndjson").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(cli.err.toString())
        .contains("nope.ndjson: no such file")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void shouldExitTwoOnUsageErrors() {
    assertThat(cli.run("validate")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("Missing required parameter").contains("--help");
    assertThat(cli.run("validate", "--no-such-option", "x")).isEqualTo(2);
  }

  @Test
  void shouldVerifySignaturesWithTrustedKeysAndRejectBadKeyFiles() throws IOException {
    Path notAKey = dir.resolve("key.pem");
    Files.writeString(notAKey, "hello");

    int exit =
        cli.run(
            "validate",
            "--trusted-key",
            notAKey.toString(),
            SEEDS.resolve("wpe-alert.json").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(cli.err.toString())
        .contains("--trusted-key")
        .contains("no -----BEGIN PUBLIC KEY----- block");
  }
}
