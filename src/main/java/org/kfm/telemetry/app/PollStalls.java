package org.kfm.telemetry.app;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Whether a stream thread is stuck inside Kafka while the streams say {@code RUNNING}: a stream
 * thread polls its consumer many times a second, busy or idle, and stops only while a call blocks
 * it (a send whose partition has no leader or whose buffer is full, a flush or a transaction commit
 * that the brokers do not complete, e.g. while fewer in-sync replicas than {@code
 * min.insync.replicas} are left). Read from the clients' own metrics: each stream thread's consumer
 * ({@code consumer-metrics}, {@code last-poll-seconds-ago}) and producer ({@code
 * record-retry-rate}).
 */
final class PollStalls {

  /**
   * How long a stream thread may go without polling before {@code /readyz} calls it stalled: far
   * beyond any pause of a working thread (a batch of records, a punctuation, a collection), well
   * within the producer's {@code delivery.timeout.ms} (2 min), after which its sends fail.
   */
  static final Duration STALL_AFTER = Duration.ofSeconds(20);

  private static final String THREAD = "-StreamThread-";
  private static final String CONSUMER = "-consumer";
  private static final String PRODUCER = "-producer";

  private PollStalls() {}

  /**
   * Why records are stalled when a stream thread has not polled for {@link #STALL_AFTER} or more
   * (the one that has waited longest, and how many do), else null.
   *
   * @param metrics {@code KafkaStreams#metrics()}
   */
  static String describe(Map<MetricName, ? extends Metric> metrics) {
    return describe(metrics, STALL_AFTER);
  }

  static String describe(Map<MetricName, ? extends Metric> metrics, Duration after) {
    // thread name -> seconds since its consumer's last poll (-1: none yet)
    Map<String, Double> sincePoll = new TreeMap<>();
    Map<String, Double> retryRate = new TreeMap<>();
    metrics.forEach(
        (name, metric) -> {
          String client = name.tags().get("client-id");
          if (client == null || !client.contains(THREAD)) {
            return;
          }
          if ("consumer-metrics".equals(name.group())
              && "last-poll-seconds-ago".equals(name.name())
              && client.endsWith(CONSUMER)
              && !client.endsWith("-restore" + CONSUMER)) {
            sincePoll.put(thread(client, CONSUMER), number(metric));
          } else if ("producer-metrics".equals(name.group())
              && "record-retry-rate".equals(name.name())
              && client.endsWith(PRODUCER)) {
            retryRate.put(thread(client, PRODUCER), number(metric));
          }
        });
    String worst = null;
    int stalled = 0;
    for (Map.Entry<String, Double> e : sincePoll.entrySet()) {
      if (e.getValue() >= after.toSeconds()) {
        stalled++;
        if (worst == null || e.getValue() > sincePoll.get(worst)) {
          worst = e.getKey();
        }
      }
    }
    if (worst == null) {
      return null;
    }
    double retries = retryRate.getOrDefault(worst, 0.0);
    return (stalled == 1
            ? "stream thread " + worst + " has"
            : stalled + " stream threads, e.g. " + worst + ", have")
        + " not polled for "
        + Math.round(sincePoll.get(worst))
        + " s: blocked in Kafka (a send, flush or transaction commit the brokers do not complete"
        + (retries > 0
            ? "; its producer retries about %.1f sends a second, see its log for the error)"
                .formatted(retries)
            : ")");
  }

  /** {@code StreamThread-N} out of {@code <app>-<process id>-StreamThread-N-consumer}. */
  private static String thread(String client, String suffix) {
    String name = client.substring(0, client.length() - suffix.length());
    return name.substring(name.lastIndexOf(THREAD) + 1);
  }

  private static double number(Metric metric) {
    return metric.metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
