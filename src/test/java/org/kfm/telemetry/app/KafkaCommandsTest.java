package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.testing.Ports;

/**
 * kfm topics diff|apply and kfm produce without a broker: usage errors, bad files, an unreachable
 * cluster.
 */
class KafkaCommandsTest {

  @TempDir Path dir;

  private final Cli cli = new Cli();

  /** A local address where nothing listens. */
  private static String closedPort() {
    return "127.0.0.1:" + Ports.unused();
  }

  private Path fastTimeouts() throws IOException {
    return Files.writeString(
        dir.resolve("client.properties"),
        """
        default.api.timeout.ms=2000
        request.timeout.ms=1000
        max.block.ms=2000
        delivery.timeout.ms=3000
        """);
  }

  @Test
  void shouldReportAMissingBootstrapServerInOneLineWithExit2() {
    int exit = cli.run("topics", "diff");

    assertThat(exit).isEqualTo(2);
    assertThat(cli.err.toString().strip())
        .isEqualTo(
            "kfm: missing --bootstrap-server HOST:PORT (or --config FILE with kafka.bootstrap.servers)");
    assertThat(cli.out.toString()).isEmpty();
  }

  @Test
  void shouldReportAnUnknownOptionAndABadReplicationFactorWithExit2() {
    assertThat(cli.run("topics", "apply", "--bootstrap-server", "x:1", "--replicas", "1"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).startsWith("kfm: Unknown options: '--replicas'");
    assertThat(cli.run("topics", "diff", "--bootstrap-server", "x:1", "--replication-factor", "0"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("kfm: --replication-factor must be at least 1, was 0");
  }

  @Test
  void shouldReportABadConfigFileAsKfmRunDoes() throws IOException {
    Path missing = dir.resolve("missing.yaml");
    Path bad =
        Files.writeString(
            dir.resolve("kfm.yaml"),
            "kafka: {bootstrap.servers: "
                + closedPort()
                + "}\n"
                + "serde: {schema.registry.url: mock://x}\n"
                + "health:\n  window: 1 day\n");

    assertThat(cli.run("topics", "diff", "--config", missing.toString())).isEqualTo(2);
    assertThat(cli.run("dlq", "replay", "--config", bad.toString())).isEqualTo(2);

    assertThat(cli.err.toString().lines())
        .containsExactly(
            "kfm: config error: --config: " + missing + ": no such file",
            "kfm: config error: health.window: \"1 day\" is not a duration (use 24h, 90m or PT1H)");
  }

  @Test
  void shouldNameTheFileTopicAndKeyOfABadTopicsFileBeforeConnecting() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("topics.yaml"),
            "topics:\n  - {name: a, partitions: -1, " + "replication-factor: 1}\n");

    int exit =
        cli.run("topics", "diff", "--bootstrap-server", "127.0.0.1:1", "--file", file.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(cli.err.toString().strip())
        .isEqualTo(
            "kfm: "
                + file
                + ": topic a: key 'partitions': expected a whole "
                + "number from 1 to 2147483647, was -1");
  }

  @Test
  void shouldReportAMissingCommandConfigFile() {
    int exit =
        cli.run(
            "topics",
            "diff",
            "--bootstrap-server",
            "127.0.0.1:1",
            "--command-config",
            dir.resolve("nope.properties").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(cli.err.toString())
        .startsWith("kfm: --command-config " + dir.resolve("nope.properties") + ": no such file");
  }

  @Test
  void shouldReportAnUnreachableClusterInOneLineWithinTheTimeout() throws IOException {
    String bootstrap = closedPort();
    long start = System.nanoTime();

    int exit =
        cli.run(
            "topics",
            "diff",
            "--bootstrap-server",
            bootstrap,
            "--command-config",
            fastTimeouts().toString());

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(exit).isEqualTo(2);
    assertThat(cli.err.toString())
        .hasLineCount(1)
        .startsWith(
            "kfm: cannot reach Kafka at "
                + bootstrap
                + ": no answer within 2000 ms trying to describe "
                + "the cluster");
    assertThat(cli.out.toString()).isEmpty();
  }

  @Test
  void shouldStopProducingAtTheFirstFailureWhenTheClusterIsUnreachable() throws IOException {
    String bootstrap = closedPort();
    Path records =
        Files.writeString(dir.resolve("r.ndjson"), "{\"run\":{\"run_id\":\"r1\"}}\n\n{}\n");
    long start = System.nanoTime();

    int exit =
        cli.run(
            "produce",
            "--bootstrap-server",
            bootstrap,
            "--command-config",
            fastTimeouts().toString(),
            records.toString());

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(exit).isEqualTo(2);
    assertThat(cli.err.toString())
        .hasLineCount(1)
        .startsWith("kfm produce: line 1: TimeoutException")
        .contains("0 of 1 records from " + records + " to kfm.telemetry.raw acknowledged");
  }

  @Test
  void shouldReportAMissingInputFileForProduce() {
    int exit =
        cli.run(
            "produce", "--bootstrap-server", "127.0.0.1:1", dir.resolve("none.ndjson").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(cli.err.toString().strip())
        .isEqualTo("kfm: " + dir.resolve("none.ndjson") + ": no such file");
  }

  @Test
  void shouldKeyRecordsByRunIdElseCorrelationIdElseNothing() {
    assertThat(key("{\"run\":{\"run_id\":\"r1\"},\"correlation\":{\"correlation_id\":\"c1\"}}"))
        .isEqualTo("r1");
    assertThat(key("{\"correlation\":{\"correlation_id\":\"c1\"}}")).isEqualTo("c1");
    assertThat(key("{\"run\":{\"run_id\":7}}")).isNull();
    assertThat(key("not json")).isNull();
    assertThat(key("[1]")).isNull();
  }

  private static String key(String line) {
    byte[] key = ProduceCommand.key(line.getBytes(StandardCharsets.UTF_8));
    return key == null ? null : new String(key, StandardCharsets.UTF_8);
  }
}
