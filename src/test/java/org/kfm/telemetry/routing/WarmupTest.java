package org.kfm.telemetry.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.dev.bench.BenchTraffic;

class WarmupTest {

  private static List<ProducerRecord<byte[], byte[]>> traffic(int count) {
    return new BenchTraffic(7, 12, 50, Instant.now(), Duration.ofHours(1)).records("raw", count);
  }

  @Test
  void routesEveryRecordAsTheServiceWould() {
    Warmup.Result result = Warmup.run(AppConfig.defaults(), traffic(2_000), Duration.ofMinutes(1));

    assertThat(result.records()).isEqualTo(2_000);
    // the generated traffic is ~5 % invalid: both routes ran
    assertThat(result.accepted()).isBetween(1_700, 1_990);
    // and the accepted events decoded as the health source reads them, most of them in a run
    assertThat(result.inRuns()).isPositive().isLessThanOrEqualTo(result.accepted());
    assertThat(result.took()).isPositive();
  }

  @Test
  void stopsAtItsBudget() {
    Warmup.Result result = Warmup.run(AppConfig.defaults(), traffic(100), Duration.ZERO);

    assertThat(result.records()).isZero();
  }
}
