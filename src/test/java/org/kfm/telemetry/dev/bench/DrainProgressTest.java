package org.kfm.telemetry.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DrainProgressTest {

  private static final long MS = 1_000_000L;

  @Test
  void shouldLeaveOutTheStartBeforeTheFirstCommit() {
    // Given: 3 s of start-up, then a steady 10,000 records/s committed every 100 ms
    DrainProgress progress = new DrainProgress();
    for (long t = 0; t <= 3_000; t += 100) {
      progress.sample(t * MS, 0);
    }
    for (long t = 3_100, done = 1_000; done <= 100_000; t += 100, done += 1_000) {
      progress.sample(t * MS, done);
    }

    // When / Then
    assertThat(progress.firstRecordsPerSecond()).isCloseTo(10_000, within(1.0));
    assertThat(progress.warmAfterRecords(10_000)).isZero();
  }

  @Test
  void shouldFindWhereTheRateReachesNinetyPercentOfTheSteadyRate() {
    // Given: 2,000 records/s for the first 30,000 records, then 10,000 records/s
    DrainProgress progress = new DrainProgress();
    long t = 0;
    long done = 0;
    progress.sample(t, done);
    while (done < 30_000) {
      t += 100 * MS;
      done += 200;
      progress.sample(t, done);
    }
    while (done < 100_000) {
      t += 100 * MS;
      done += 1_000;
      progress.sample(t, done);
    }

    // When / Then: the first 20,000 took 10 s; warm once a 10,000-record block is 90 % fast
    assertThat(progress.firstRecordsPerSecond()).isCloseTo(2_000, within(1.0));
    assertThat(progress.warmAfterRecords(10_000)).isBetween(29_000L, 30_000L);
  }

  @Test
  void shouldSayWhenTheRateNeverGetsWarm() {
    // Given
    DrainProgress progress = new DrainProgress();
    for (long i = 0; i <= 100; i++) {
      progress.sample(i * 100 * MS, i * 100);
    }

    // When / Then
    assertThat(progress.warmAfterRecords(10_000)).isEqualTo(-1);
  }

  @Test
  void shouldHaveNoRateWithoutProgress() {
    // Given
    DrainProgress progress = new DrainProgress();
    progress.sample(0, 0);
    progress.sample(100 * MS, 0);

    // When / Then
    assertThat(progress.firstRecordsPerSecond()).isNaN();
    assertThat(progress.warmAfterRecords(1_000)).isEqualTo(-1);
  }

  @Test
  void shouldTakeTheRateBetweenTwoPointsOfTheInput() {
    // Given: 10,000 records/s up to 50,000 records, then 5,000 records/s up to 100,000
    DrainProgress progress = new DrainProgress();
    long t = 0;
    long done = 0;
    progress.sample(t, done);
    while (done < 100_000) {
      t += 100 * MS;
      done += done < 50_000 ? 1_000 : 500;
      progress.sample(t, done);
    }

    // When / Then
    assertThat(progress.recordsPerSecondBetween(0, 50_000)).isCloseTo(10_000, within(1.0));
    assertThat(progress.recordsPerSecondBetween(80_000, 100_000)).isCloseTo(5_000, within(1.0));
    assertThat(progress.recordsPerSecondBetween(80_000, 100_001)).isNaN();
  }
}
