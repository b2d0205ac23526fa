package org.kfm.telemetry.serde;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently a registry request is retried after a 5xx answer or a connection
 * failure: at most {@code maxRetries} retries, waiting an exponentially growing, jittered delay
 * before each.
 *
 * @param maxRetries retries after the first attempt ({@code max.retries}); 0 disables retrying
 * @param initialWait the ceiling of the first delay ({@code retries.wait.ms}); doubled for each
 *     further retry
 * @param maxWait the largest ceiling ({@code retries.max.wait.ms})
 */
public record RetryPolicy(int maxRetries, Duration initialWait, Duration maxWait) {

  /**
   * The largest delay before retry number {@code retry} (from 1): {@code min(initialWait *
   * 2^(retry-1), maxWait)}.
   */
  public Duration ceiling(int retry) {
    int doublings = Math.min(Math.max(retry - 1, 0), 30);
    long millis = Math.min(initialWait.toMillis() * (1L << doublings), maxWait.toMillis());
    return Duration.ofMillis(Math.max(millis, 0));
  }

  /**
   * The delay before retry number {@code retry}: between half the {@link #ceiling} and the ceiling
   * ("equal jitter"), so that many clients recovering together do not retry in lockstep.
   */
  public Duration delay(int retry, RandomGenerator random) {
    long ceiling = ceiling(retry).toMillis();
    long half = ceiling / 2;
    return Duration.ofMillis(half + (ceiling - half > 0 ? random.nextLong(ceiling - half + 1) : 0));
  }
}
