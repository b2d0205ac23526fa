package org.kfm.telemetry.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {

  @ParameterizedTest
  @CsvSource({
    "2026-01-23T18:42:11.123Z, 2026-01-23T18:42:11.123Z",
    "2026-01-23t18:42:11z, 2026-01-23T18:42:11Z",
    "2026-01-23T20:42:11+02:00, 2026-01-23T18:42:11Z",
    "2026-01-23T18:42:11.123456789-00:00, 2026-01-23T18:42:11.123456789Z",
    "2024-02-29T00:00:00Z, 2024-02-29T00:00:00Z",
    "2016-12-31T23:59:60Z, 2016-12-31T23:59:59Z",
    "2017-01-01T00:59:60+01:00, 2016-12-31T23:59:59Z"
  })
  void shouldParseRealDateTimes(String text, String expected) {
    assertThat(Rfc3339.parse(text).instant()).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-01-23T18:42:11",
        "2026-01-23 18:42:11Z",
        "2026-01-23T18:42Z",
        "2026-1-23T18:42:11Z",
        "2026-01-23T18:42:11.Z",
        "2026-01-23T18:42:11+0200",
        "20260123T184211Z",
        "2026-01-23T18:42:11Z ",
        "2026-01-23",
        "yesterday",
        "2026-01-23T18:42:11+02"
      })
  void shouldRejectOtherShapes(String text) {
    assertThat(Rfc3339.parse(text).problem()).isEqualTo(Rfc3339.Problem.FORMAT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-02-29T00:00:00Z",
        "2026-02-30T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-00-10T00:00:00Z",
        "2026-01-32T00:00:00Z",
        "2026-01-23T24:00:00Z",
        "2026-01-23T18:60:00Z",
        "2026-01-23T18:42:61Z",
        "2026-01-23T12:59:60Z",
        "2026-01-23T18:42:11+24:00",
        "2026-01-23T18:42:11+01:60"
      })
  void shouldRejectImpossibleDatesAndTimes(String text) {
    assertThat(Rfc3339.parse(text).problem()).isEqualTo(Rfc3339.Problem.RANGE);
  }
}
