package org.kfm.telemetry.dev;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * Paces the dev demo by the service itself: between two simulated hours it waits until the
 * service's consumer group has committed every input topic to its end (the hour went through every
 * hop: validation, de-duplication, run tracking, windows), for at most a bound. Without it a day
 * replayed in seconds reaches some tasks hours (simulated) before others, and a window closed by
 * the tasks ahead misses the runs still on their way.
 */
final class CaughtUpPacer implements DemoTraffic.Pacer, AutoCloseable {

  private static final long POLL_MS = 50;

  private final Admin admin;
  private final GroupLag lag;
  private final Duration atLeast;
  private final Duration atMost;

  CaughtUpPacer(
      Map<String, Object> adminProperties,
      String groupId,
      List<String> topics,
      Duration atLeast,
      Duration atMost) {
    this.admin = Admin.create(adminProperties);
    this.lag = new GroupLag(admin, groupId, topics);
    this.atLeast = atLeast;
    this.atMost = atMost;
  }

  @Override
  public void betweenHours() throws InterruptedException {
    Thread.sleep(atLeast.toMillis());
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!caughtUp() && System.nanoTime() < deadline) {
      Thread.sleep(POLL_MS);
    }
  }

  /** Whether the group has committed every partition of the topics to its (read-committed) end. */
  boolean caughtUp() throws InterruptedException {
    GroupLag.Snapshot now = lag.read();
    return now != null
        && now.lag() == 0; // unreadable (e.g. a topic not created yet): not caught up
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
