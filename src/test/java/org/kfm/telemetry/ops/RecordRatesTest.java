package org.kfm.telemetry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The record rates over the last minute, from samples of the routing counters. */
class RecordRatesTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AtomicLong nanos = new AtomicLong();

  private void count(String outcome, double n) {
    meters.counter("kfm.records", "outcome", outcome).increment(n);
  }

  private void after(Duration d, RecordRates rates) {
    nanos.addAndGet(d.toNanos());
    rates.sample();
  }

  @Test
  void shouldGiveZeroRatesUntilASecondSample() {
    count("valid", 10);
    RecordRates rates = new RecordRates(meters, nanos::get, false);

    JsonNode json = rates.json();

    assertThat(json.get("valid_per_second").asDouble()).isZero();
    assertThat(json.get("valid_total").asLong()).isEqualTo(10);
    assertThat(json.get("over_seconds").asLong()).isZero();
  }

  @Test
  void shouldGiveEachOutcomesRateOverTheLastMinuteOnly() {
    RecordRates rates = new RecordRates(meters, nanos::get, false);
    // a burst in the first minute
    count("valid", 6000);
    after(Duration.ofSeconds(30), rates);
    after(Duration.ofSeconds(30), rates);
    // then a steady minute: 5 valid, 1 dead letter and 0.5 duplicates per second
    for (int i = 0; i < 12; i++) {
      count("valid", 25);
      count("dlq", 5);
      count("duplicate", 2.5);
      after(Duration.ofSeconds(5), rates);
    }

    JsonNode json = rates.json();

    assertThat(json.get("over_seconds").asLong()).isEqualTo(60);
    assertThat(json.get("valid_per_second").asDouble()).isEqualTo(5.0);
    assertThat(json.get("dlq_per_second").asDouble()).isEqualTo(1.0);
    assertThat(json.get("duplicate_per_second").asDouble()).isEqualTo(0.5);
    assertThat(json.get("valid_total").asLong()).isEqualTo(6300);
  }
}
