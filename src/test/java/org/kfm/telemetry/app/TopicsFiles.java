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
    apply(dir, bootstrap, partitions, 1);
  }

  /**
   * Applies {@link #withPartitions} with {@code kfm topics apply} at {@code replicationFactor}
   * (topics.yaml's own, 3 with min.insync.replicas 2, when it is 3), with {@code extraArgs} (e.g.
   * {@code --command-config} for a secured cluster); fails with what the command printed.
   */
  static void apply(
      Path dir, String bootstrap, int partitions, int replicationFactor, String... extraArgs)
      throws IOException {
    Cli cli = new Cli();
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "topics",
                "apply",
                "--bootstrap-server",
                bootstrap,
                "--replication-factor",
                Integer.toString(replicationFactor),
                "--file",
                withPartitions(dir, partitions).toString()));
    args.addAll(java.util.List.of(extraArgs));
    int status = cli.run(args.toArray(String[]::new));
    if (status != 0) {
      throw new AssertionError("kfm topics apply exited " + status + ": " + cli.err);
    }
  }
}
