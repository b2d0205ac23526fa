package org.kfm.telemetry.app;

/** Entry point of {@code kfm}: runs the command line and exits with its code. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs {@code kfm} with {@code args} and returns the exit code (for tests and embedding). */
  public static int run(String... args) {
    return KfmCommand.commandLine().execute(args);
  }
}
