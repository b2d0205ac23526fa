package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kfm bench} end to end, small: its own broker, a passthrough and the service drain the same
 * preloaded records, then a latency run; the report says so.
 */
class BenchCommandIntegrationTest {

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
}
