package org.kfm.telemetry.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WarmUpTest {

  private static final long MS = 1_000_000L;

  @Test
  void shouldLeaveOutTheStartBeforeTheFirstCommit() {
    // Given: 3 s of start-up, then a steady 10,000 records/s committed every 100 ms
    WarmUp warmUp = new WarmUp();
    for (long t = 0; t <= 3_000; t += 100) {
      warmUp.sample(t * MS, 0);
    }
    for (long t = 3_100, done = 1_000; done <= 100_000; t += 100, done += 1_000) {
      warmUp.sample(t * MS, done);
    }

    // When / Then
    assertThat(warmUp.firstRecordsPerSecond()).isCloseTo(10_000, within(1.0));
    assertThat(warmUp.warmAfterRecords(10_000)).isZero();
  }

  @Test
  void shouldFindWhereTheRateReachesNinetyPercentOfTheSteadyRate() {
    // Given: 2,000 records/s for the first 30,000 records, then 10,000 records/s
    WarmUp warmUp = new WarmUp();
    long t = 0;
    long done = 0;
    warmUp.sample(t, done);
    while (done < 30_000) {
      t += 100 * MS;
      done += 200;
      warmUp.sample(t, done);
    }
    while (done < 100_000) {
      t += 100 * MS;
      done += 1_000;
      warmUp.sample(t, done);
    }

    // When / Then: the first 20,000 took 10 s; warm once a 10,000-record block is 90 % fast
    assertThat(warmUp.firstRecordsPerSecond()).isCloseTo(2_000, within(1.0));
    assertThat(warmUp.warmAfterRecords(10_000)).isBetween(29_000L, 30_000L);
  }

  @Test
  void shouldSayWhenTheRateNeverGetsWarm() {
    // Given
    WarmUp warmUp = new WarmUp();
    for (long i = 0; i <= 100; i++) {
      warmUp.sample(i * 100 * MS, i * 100);
    }

    // When / Then
    assertThat(warmUp.warmAfterRecords(10_000)).isEqualTo(-1);
  }

  @Test
  void shouldHaveNoRateWithoutProgress() {
    // Given
    WarmUp warmUp = new WarmUp();
    warmUp.sample(0, 0);
    warmUp.sample(100 * MS, 0);

    // When / Then
    assertThat(warmUp.firstRecordsPerSecond()).isNaN();
    assertThat(warmUp.warmAfterRecords(1_000)).isEqualTo(-1);
  }
}
