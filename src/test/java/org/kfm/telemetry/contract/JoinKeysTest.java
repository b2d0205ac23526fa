package org.kfm.telemetry.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The join key: run.run_id, else correlation.correlation_id, the first usable one, else none. */
class JoinKeysTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldPreferTheRunIdThenTheCorrelationId() throws IOException {
    assertThat(
            JoinKeys.of(
                JSON.readTree(
                    "{\"run\":{\"run_id\":\"r1\"},\"correlation\":{\"correlation_id\":\"c1\"}}")))
        .isEqualTo("r1");
    assertThat(JoinKeys.of(JSON.readTree("{\"correlation\":{\"correlation_id\":\"c1\"}}")))
        .isEqualTo("c1");
    assertThat(JoinKeys.of(JSON.readTree("{\"kind\":\"wpe.alert\"}"))).isNull();
  }

  @Test
  void shouldSkipAKeyThatCannotBeOne() throws IOException {
    // empty, not a string, with a space, too long: the next candidate (or none)
    assertThat(
            JoinKeys.of(
                JSON.readTree(
                    "{\"run\":{\"run_id\":\"\"},\"correlation\":{\"correlation_id\":\"c1\"}}")))
        .isEqualTo("c1");
    assertThat(
            JoinKeys.of(
                JSON.readTree(
                    "{\"run\":{\"run_id\":7},\"correlation\":{\"correlation_id\":\"c1\"}}")))
        .isEqualTo("c1");
    assertThat(JoinKeys.of(JSON.readTree("{\"run\":{\"run_id\":\"a b\"}}"))).isNull();
    assertThat(JoinKeys.usable("x".repeat(JoinKeys.MAX_LENGTH))).isTrue();
    assertThat(JoinKeys.usable("x".repeat(JoinKeys.MAX_LENGTH + 1))).isFalse();
    assertThat(JoinKeys.usable("zero\u200bwidth")).isFalse();
  }
}
