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

  /**
   * Applies {@link #withPartitions} to the broker at {@code bootstrap} with {@code kfm topics
   * apply} (replication 1), failing with what the command printed.
   */
  static void apply(Path dir, String bootstrap, int partitions) throws IOException {
    Cli cli = new Cli();
    int status =
        cli.run(
            "topics",
            "apply",
            "--bootstrap-server",
            bootstrap,
            "--replication-factor",
            "1",
            "--file",
            withPartitions(dir, partitions).toString());
    if (status != 0) {
      throw new AssertionError("kfm topics apply exited " + status + ": " + cli.err);
    }
  }
}
