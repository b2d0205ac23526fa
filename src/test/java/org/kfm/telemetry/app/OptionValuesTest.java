package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole numbers out of range on the command line: one line naming the option and the value, exit 2,
 * before anything starts (no broker, no file written).
 */
class OptionValuesTest {

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "bench --records -5 | --records must be at least 1, was -5",
        "bench --records 10 --pipelines 0 --write-ndjson OUT | --pipelines must be at least 1, was 0",
        "bench --records 10 --partitions 0 --write-ndjson OUT | --partitions must be at least 1, was 0",
        "bench --trials -1 | --trials must be at least 0, was -1",
        "bench --threads 0 | --threads must be at least 1, was 0",
        "bench --latency-rate -1 | --latency-rate must be at least 0, was -1",
        "bench --latency-seconds 0 | --latency-seconds must be at least 1, was 0",
        "bench --warmup -1 | --warmup must be at least 0, was -1",
        "dev --http-port 99999 | --http-port must be a port from 0 to 65535 (0: a free one), was 99999",
        "dev --kafka-port -1 | --kafka-port must be a port from 0 to 65535 (0: a free one), was -1",
        "dev --registry-port 65536 | --registry-port must be a port from 0 to 65535 (0: a free one), was 65536",
        "dlq show --bootstrap-server 127.0.0.1:1 --limit 0 | --limit must be at least 1, was 0",
        "validate --threads 0 - | --threads must be at least 1, was 0",
        "topics diff --bootstrap-server 127.0.0.1:1 --replication-factor 0 | --replication-factor must be at least 1, was 0"
      })
  void shouldRefuseAWholeNumberOutOfRangeInOneLine(String args, String message) {
    Path out = dir.resolve("traffic.ndjson");
    Cli cli = new Cli();

    int exit = cli.run(args.replace("OUT", out.toString()).split(" "));

    assertThat(exit).isEqualTo(2);
    assertThat(cli.err.toString()).isEqualTo("kfm: " + message + System.lineSeparator());
    assertThat(cli.out.toString()).as("nothing started").isEmpty();
    assertThat(out).doesNotExist();
  }
}
