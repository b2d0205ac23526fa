package org.kfm.telemetry.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Variants of the repository's topics.yaml for real-broker tests. */
final class TopicsFiles {

  private TopicsFiles() {}

  /**
   * topics.yaml with every topic at {@code partitions} partitions, written into {@code dir}: fewer
   * tasks, a faster start on a small machine.
   */
  static Path withPartitions(Path dir, int partitions) throws IOException {
    return Files.writeString(
        dir.resolve("topics.yaml"),
        Files.readString(Path.of("topics.yaml"))
            .replaceAll("partitions: \\d+", "partitions: " + partitions));
  }
}
