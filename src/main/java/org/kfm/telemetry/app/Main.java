package org.kfm.telemetry.app;

import java.util.Set;

/** Entry point of {@code kfm}: runs the command line and exits with its code. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** The commands that are Kafka clients for one task, and report Kafka's failures themselves. */
  private static final Set<String> CLIENT_TOOLS = Set.of("produce", "topics", "dlq");

  /** Runs {@code kfm} with {@code args} and returns the exit code (for tests and embedding). */
  public static int run(String... args) {
    if (args.length > 0 && CLIENT_TOOLS.contains(args[0])) {
      // before any logger exists: the command line's classes create theirs when it is built
      KafkaClientOptions.quietClientLogs();
    }
    return KfmCommand.commandLine().execute(args);
  }
}
