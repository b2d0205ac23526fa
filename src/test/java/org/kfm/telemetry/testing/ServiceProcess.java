package org.kfm.telemetry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kfm.telemetry.app.Main;

/**
 * {@code kfm run} (or another {@code kfm} command) in a JVM of its own, started from the test's
 * class path, with its output in a log file: the way tests run the service when it must be killed
 * with SIGKILL, restarted, or counted as one of several instances. Close it (or use {@link
 * #kill()}) in an {@code @AfterEach}; {@link #failure()} gives its state and the end of its log for
 * an assertion message.
 */
public final class ServiceProcess implements AutoCloseable {

  private final String name;
  private final Path log;
  private final Process process;

  private ServiceProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  /**
   * {@code kfm run --config config} in a new JVM ({@code -Xmx512m}), its output in {@code
   * dir/name.log}; no {@code KFM_*} variable of this JVM is passed on.
   */
  public static ServiceProcess run(Path dir, String name, Path config) {
    return start(dir, name, List.of("run", "--config", config.toString()));
  }

  /** {@code kfm args...} in a new JVM ({@code -Xmx512m}), its output in {@code dir/name.log}. */
  public static ServiceProcess start(Path dir, String name, List<String> args) {
    return start(dir, name, args, java.util.Map.of());
  }

  /**
   * {@code kfm args...} in a new JVM with {@code jvmOptions} (after its {@code -Xmx512m}, so an
   * {@code -Xmx} there wins), its output in {@code dir/name.log}.
   */
  public static ServiceProcess start(
      Path dir, String name, List<String> jvmOptions, List<String> args) {
    return start(dir, name, jvmOptions, args, java.util.Map.of());
  }

  /**
   * {@code kfm args...} in a new JVM ({@code -Xmx512m}) with {@code env} as its only {@code KFM_*}
   * variables (as a pod's environment gives them), its output in {@code dir/name.log}.
   */
  public static ServiceProcess start(
      Path dir, String name, List<String> args, java.util.Map<String, String> env) {
    return start(dir, name, List.of(), args, env);
  }

  private static ServiceProcess start(
      Path dir,
      String name,
      List<String> jvmOptions,
      List<String> args,
      java.util.Map<String, String> env) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx512m");
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("KFM_"));
    builder.environment().putAll(env);
    Path log = dir.resolve(name + ".log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    try {
      return new ServiceProcess(name, log, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  public String name() {
    return name;
  }

  public Process process() {
    return process;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Its whole log so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log " + log + " unreadable: " + e + ")";
    }
  }

  /** The last {@code lines} lines of its log. */
  public String logTail(int lines) {
    List<String> all = log().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Fails with its log when it has exited; for polling loops. */
  public void assertAlive() {
    if (!process.isAlive()) {
      throw new AssertionError(failure());
    }
  }

  /** Its name, whether it runs or how it exited, and the last 40 lines of its log. */
  public String failure() {
    return name
        + " "
        + (process.isAlive() ? "running" : "exited " + process.exitValue())
        + "; its log:\n"
        + logTail(40);
  }

  /**
   * Waits at most {@code timeout} for it to exit by itself: its exit status; fails with its log
   * (after killing it) when it still runs.
   */
  public int awaitExit(java.time.Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      String failure = failure();
      kill();
      throw new AssertionError("still running after " + timeout + ": " + failure);
    }
    return process.exitValue();
  }

  /** SIGKILL: no clean close, no leaving the group; waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM and the exit status (waits for the clean close). */
  public int stop() throws InterruptedException {
    process.destroy();
    return process.waitFor();
  }

  /** Kills it if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
