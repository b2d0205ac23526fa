package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link PollStalls} on a real Kafka metrics registry, as the clients register their metrics. */
class PollStallsTest {

  private static final String CLIENT = "kfm-telemetry-streams-4f0c9d1e-8a35-4a4e-a0c1-2b7f3d5e6a70";

  private final Metrics metrics = new Metrics();

  @AfterEach
  void close() {
    metrics.close();
  }

  private void gauge(String group, String name, String clientId, double value) {
    metrics.addMetric(
        metrics.metricName(name, group, Map.of("client-id", clientId)),
        (Gauge<Double>) (config, now) -> value);
  }

  private void lastPoll(String consumer, double secondsAgo) {
    gauge("consumer-metrics", "last-poll-seconds-ago", CLIENT + "-" + consumer, secondsAgo);
  }

  private void retryRate(String producer, double perSecond) {
    gauge("producer-metrics", "record-retry-rate", CLIENT + "-" + producer, perSecond);
  }

  @Test
  void shouldSayNothingWhileEveryStreamThreadPolls() {
    assertThat(PollStalls.describe(metrics.metrics())).as("no clients yet").isNull();
    lastPoll("StreamThread-1-consumer", 0);
    lastPoll("StreamThread-2-consumer", 19);
    retryRate("StreamThread-1-producer", 4.0);

    assertThat(PollStalls.describe(metrics.metrics())).isNull();
  }

  @Test
  void shouldNameAThreadThatHasNotPolledForTheThresholdAndItsProducersRetries() {
    lastPoll("StreamThread-1-consumer", 0);
    lastPoll("StreamThread-2-consumer", 20);
    retryRate("StreamThread-1-producer", 0.0);
    retryRate("StreamThread-2-producer", 1.46);

    assertThat(PollStalls.describe(metrics.metrics()))
        .isEqualTo(
            "stream thread StreamThread-2 has not polled for 20 s: blocked in Kafka (a send, flush"
                + " or transaction commit the brokers do not complete; its producer retries about"
                + " 1.5 sends a second, see its log for the error)");
  }

  @Test
  void shouldNameTheLongestBlockedOfSeveralAndCountThem() {
    lastPoll("StreamThread-1-consumer", 31);
    lastPoll("StreamThread-2-consumer", 45);
    lastPoll("StreamThread-3-consumer", 2);

    assertThat(PollStalls.describe(metrics.metrics()))
        .isEqualTo(
            "2 stream threads, e.g. StreamThread-2, have not polled for 45 s: blocked in Kafka (a"
                + " send, flush or transaction commit the brokers do not complete)");
  }

  @Test
  void shouldIgnoreConsumersThatAreNotAStreamThreadsOwnAndThreadsThatHaveNotPolledYet() {
    lastPoll("StreamThread-1-restore-consumer", 600);
    lastPoll("GlobalStreamThread-global-consumer", 600);
    gauge("consumer-metrics", "last-poll-seconds-ago", "kfm-dlq-reader", 600);
    lastPoll("StreamThread-1-consumer", -1);
    gauge("consumer-metrics", "last-poll-seconds-ago", "StreamThread-9-admin", 600);

    assertThat(PollStalls.describe(metrics.metrics())).isNull();
  }
}
