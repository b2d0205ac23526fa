package org.kfm.telemetry.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy =
      new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(1000));

  @Test
  void shouldDoubleTheCeilingPerRetryUpToTheMaximum() {
    // When / Then
    assertThat(policy.ceiling(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.ceiling(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(policy.ceiling(4)).isEqualTo(Duration.ofMillis(800));
    assertThat(policy.ceiling(5)).isEqualTo(Duration.ofMillis(1000));
    assertThat(policy.ceiling(64)).isEqualTo(Duration.ofMillis(1000));
  }

  @Test
  void shouldJitterBetweenHalfTheCeilingAndTheCeiling() {
    // Given
    Random random = new Random(7);

    // When / Then
    for (int retry = 1; retry <= 6; retry++) {
      for (int i = 0; i < 50; i++) {
        assertThat(policy.delay(retry, random))
            .isBetween(policy.ceiling(retry).dividedBy(2), policy.ceiling(retry));
      }
    }
  }
}
