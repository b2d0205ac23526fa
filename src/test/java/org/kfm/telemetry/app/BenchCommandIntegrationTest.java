package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.testing.InProcessKafka;
import org.kfm.telemetry.testing.Ports;

/**
 * {@code kfm bench} end to end, small: its own broker (or one given with {@code
 * --bootstrap-server}), a passthrough and the service drain the same preloaded records, then a
 * latency run; the report says so.
 */
class BenchCommandIntegrationTest {

  /** A broker outside the benchmark, as {@code kfm dev}'s or a cluster's would be. */
  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  @TempDir Path dir;

  @Test
  void shouldMeasureThePassthroughAndTheServiceAndWriteTheReport() throws Exception {
    // Given a small benchmark: 3,000 records, one trial of two variants, a short latency run
    Cli cli = new Cli();
    Path report = dir.resolve("report.md");

    // When it runs
    int status =
        cli.run(
            "bench",
            "--records",
            "3000",
            "--trials",
            "1",
            "--partitions",
            "4",
            "--variants",
            "PASSTHROUGH,SERVICE_EOS",
            "--latency-rate",
            "200",
            "--latency-seconds",
            "7",
            "--data-dir",
            dir.resolve("data").toString(),
            "--out",
            report.toString());

    // Then it reports both variants, their ratio to the passthrough, and latencies it measured
    assertThat(status).as(cli.err.toString()).isZero();
    String markdown = Files.readString(report);
    assertThat(markdown)
        .contains("| passthrough, 1 hop, exactly_once_v2 | ")
        .contains("| service, exactly_once_v2 | ")
        .contains("Produce → output latency");
    assertThat(markdown.lines().filter(l -> l.startsWith("| service, exactly_once_v2 | 200 |")))
        .singleElement()
        .satisfies(line -> assertThat(line.split("\\|")[4].trim()).isNotEqualTo("0"));
    assertThat(cli.out.toString()).isEqualTo(markdown);
  }

  @Test
  void shouldTimeTheRestoreOfEveryStoreFromItsChangelog() throws Exception {
    // Given a small benchmark with no trials, only the restore measurement, a warm-up, a Streams
    // setting of its own
    Cli cli = new Cli();

    // When it runs
    int status =
        cli.run(
            "bench",
            "--records",
            "2000",
            "--trials",
            "0",
            "--partitions",
            "2",
            "--latency-rate",
            "0",
            "--restore",
            "--warmup",
            "300",
            "--kafka",
            "commit.interval.ms=50",
            "--data-dir",
            dir.resolve("data").toString());

    // Then every store of the service was restored, the health stores and dedup among them
    assertThat(status).as(cli.err.toString()).isZero();
    String markdown = cli.out.toString();
    assertThat(markdown).contains("a fresh instance was RUNNING with every store restored");
    assertThat(markdown).contains("--warmup 300 --kafka commit.interval.ms=50`");
    // after routing the warm-up's own records first
    assertThat(cli.err.toString()).contains("warm-up: 300 records routed in");
    for (String store :
        List.of(
            "dedup-store",
            "health-run-store",
            "health-run-expiry-store",
            "health-scope-panes-store",
            "health-scope-store")) {
      assertThat(markdown.lines().filter(l -> l.startsWith("| " + store + " | ")))
          .as(store)
          .singleElement()
          .satisfies(
              line ->
                  assertThat(Long.parseLong(line.split("\\|")[2].trim().replace(",", "")))
                      .isPositive());
    }
    // and the drain that built the state is reported as trial 0, with its rates
    assertThat(markdown.lines().filter(l -> l.startsWith("| 0 | ")))
        .singleElement()
        .satisfies(line -> assertThat(line.split("\\|")[4].trim()).isNotIn("0", "NaN"));
  }

  @Test
  void shouldMeasureOnAGivenBrokerAndLeaveNothingOfItsOwnThere() throws Exception {
    // Given a broker outside the benchmark's JVM that already holds a topic of someone else's
    Cli cli = new Cli();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(new org.apache.kafka.clients.admin.NewTopic("bench.other", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);

      // When the benchmark runs on it: a drain of the shape and of the service, a latency run and
      // a restore
      int status =
          cli.run(
              "bench",
              "--bootstrap-server",
              KAFKA.bootstrapServers(),
              "--records",
              "2000",
              "--trials",
              "1",
              "--partitions",
              "2",
              "--variants",
              "SHAPE,SERVICE_EOS",
              "--latency-rate",
              "200",
              "--latency-seconds",
              "6",
              "--restore",
              "--data-dir",
              dir.resolve("state").toString());

      // Then it measured there, and says so
      assertThat(status).as(cli.err.toString()).isZero();
      String markdown = cli.out.toString();
      assertThat(markdown)
          .contains("--bootstrap-server " + KAFKA.bootstrapServers() + "`")
          .contains("the broker at " + KAFKA.bootstrapServers() + ", outside this JVM")
          .contains("| service, exactly_once_v2 | 200 |")
          .contains("a fresh instance was RUNNING with every store restored");
      assertThat(markdown.lines().filter(l -> l.startsWith("| 1 | service, exactly_once_v2 |")))
          .singleElement()
          .satisfies(line -> assertThat(line.split("\\|")[4].trim()).isNotIn("0", "NaN"));
      // and deleted every topic and group it made there, and nothing else
      assertThat(cli.err.toString())
          .containsPattern("deleted [1-9][0-9]* topics and [1-9][0-9]* groups");
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
          .contains("bench.other")
          .noneMatch(t -> t.startsWith("bench-"));
      assertThat(admin.listGroups().all().get(30, TimeUnit.SECONDS))
          .extracting(GroupListing::groupId)
          .noneMatch(g -> g.startsWith("bench-"));
    }
  }

  @Test
  void shouldSayInOneLineThatAGivenBrokerCannotBeReached() {
    // Given an address where no broker listens
    Cli cli = new Cli();
    String nowhere = "127.0.0.1:" + Ports.unused();

    // When the benchmark is pointed at it
    int status = cli.run("bench", "--bootstrap-server", nowhere, "--records", "100");

    // Then it fails with one line that names the address, and no stack trace
    assertThat(status).isNotZero();
    assertThat(cli.err.toString().strip())
        .startsWith("kfm: cannot reach Kafka at " + nowhere)
        .doesNotContain("\n\tat ");
  }
}
