package org.kfm.telemetry.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code kfm} in-process as a user would, capturing what it prints. */
final class Cli {

  /** What the commands printed on standard output (cumulative; {@link #clear()} empties it). */
  final StringWriter out = new StringWriter();

  /** What the commands printed on standard error (cumulative). */
  final StringWriter err = new StringWriter();

  /** Runs {@code kfm args...} and returns its exit status. */
  int run(String... args) {
    CommandLine cl = KfmCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  void clear() {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
  }
}
