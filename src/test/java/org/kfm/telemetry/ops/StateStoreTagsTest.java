package org.kfm.telemetry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class StateStoreTagsTest {

  @Test
  void keyValueAndWindowStoresShareOneMetricName() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new StateStoreTags());

    // the tags Kafka Streams gives a window store's and a key-value store's RocksDB metric
    Gauge.builder("kafka.stream.state.bytes.read.compaction.rate", () -> 1.0)
        .tags("kafka.version", "4.4.0", "rocksdb.window.state.id", "dedup", "task.id", "1_0")
        .register(registry);
    Gauge.builder("kafka.stream.state.bytes.read.compaction.rate", () -> 2.0)
        .tags("kafka.version", "4.4.0", "rocksdb.state.id", "runs", "task.id", "2_0")
        .register(registry);
    Gauge.builder("kafka.stream.thread.poll.rate", () -> 3.0)
        .tags("thread.id", "t-1")
        .register(registry);

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains(
            "kafka_stream_state_bytes_read_compaction_rate{kafka_version=\"4.4.0\","
                + "state_id=\"dedup\",store_type=\"rocksdb-window\",task_id=\"1_0\"} 1.0")
        .contains(
            "kafka_stream_state_bytes_read_compaction_rate{kafka_version=\"4.4.0\","
                + "state_id=\"runs\",store_type=\"rocksdb\",task_id=\"2_0\"} 2.0")
        .contains("kafka_stream_thread_poll_rate{thread_id=\"t-1\"} 3.0");
  }
}
