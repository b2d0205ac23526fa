package org.kfm.telemetry.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.serde.fixtures.Reading;

class LatestVersionsTest {

  @Test
  void shouldReuseTheLatestVersionUntilItsTimeToLiveRunsOut() throws Exception {
    // Given
    MockSchemaRegistryClient registry = new MockSchemaRegistryClient();
    registry.register("readings-value", TestSchemas.READING_V1);
    AtomicLong now = new AtomicLong();
    LatestVersions latest = new LatestVersions(registry, true, Duration.ofSeconds(60), now::get);
    assertThat(latest.get("readings-value", TestSchemas.READING_V1).version()).isEqualTo(1);
    registry.register("readings-value", Reading.SCHEMA$);

    // When
    now.addAndGet(Duration.ofSeconds(59).toNanos());
    int beforeExpiry = latest.get("readings-value", TestSchemas.READING_V1).version();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    int afterExpiry = latest.get("readings-value", TestSchemas.READING_V1).version();

    // Then
    assertThat(beforeExpiry).isEqualTo(1);
    assertThat(afterExpiry).isEqualTo(2);
  }
}
