package org.kfm.telemetry.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations as operators write them, and the example file documenting every key. */
class DurationsTest {

  @Test
  void shouldReadShortFormsAndIso8601() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("90m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("24h")).isEqualTo(Duration.ofHours(24));
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("pt1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1 day")).isNull();
    assertThat(Durations.parse("h")).isNull();
    assertThat(Durations.parse("99999999999999999999h")).isNull();
  }

  @Test
  void shouldFormatTheDefaultsAsTheyAreWritten() {
    assertThat(Durations.format(Duration.ofHours(24))).isEqualTo("24h");
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  @Test
  void shouldDocumentEveryKeyInTheExampleFile() throws IOException {
    String example = Files.readString(Path.of("config/kfm.example.yaml"));

    for (String key : ConfigKeys.DEFAULTS.keySet()) {
      String leaf = key.substring(key.lastIndexOf('.') + 1);
      assertThat(example).as(key).containsPattern("(?m)^[ #]*" + leaf + ":");
    }
  }
}
