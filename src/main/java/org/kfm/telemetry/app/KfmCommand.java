package org.kfm.telemetry.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.kfm.telemetry.dev.BenchCommand;
import org.kfm.telemetry.dev.DevCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kfm} command: KFM Telemetry Streams' command line. */
@Command(
    name = "kfm",
    mixinStandardHelpOptions = true,
    versionProvider = KfmCommand.Version.class,
    description =
        "KFM Telemetry Streams: validates KFM telemetry (contract v2), routes it to Avro or a "
            + "dead-letter topic, and watches trace/energy coverage SLOs.",
    subcommands = {
      RunCommand.class,
      DevCommand.class,
      BenchCommand.class,
      ValidateCommand.class,
      TopologyCommand.class,
      KeysCommand.class,
      VerifyAlertCommand.class,
      TopicsCommand.class,
      ProduceCommand.class,
      DlqCommand.class,
      CommandLine.HelpCommand.class
    })
public final class KfmCommand implements Runnable {

  /** Exit code for a bad command line, a missing file or another I/O problem. */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The command line with kfm's error handling: one readable line for user mistakes, exit 2. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new KfmCommand());
    // Explicit UTF-8: Java 17 would otherwise use the platform charset, ASCII on a bare CI box.
    cl.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("kfm: " + ex.getMessage());
          err.println(
              "Try '"
                  + ex.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help' for more information.");
          return EXIT_USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (ex instanceof UserException) {
            err.println("kfm: " + ex.getMessage());
            return EXIT_USAGE;
          }
          err.println("kfm: internal error, please report it: " + ex);
          ex.printStackTrace(err);
          return 70;
        });
    return cl;
  }

  /**
   * A {@link UserException} naming the whole-number option {@code option} and its {@code value}
   * when that is below {@code min}.
   */
  public static void atLeast(String option, long value, long min) {
    if (value < min) {
      throw new UserException(option + " must be at least " + min + ", was " + value);
    }
  }

  /** A {@link UserException} when {@code value}, given to the option {@code option}, is no port. */
  public static void port(String option, int value) {
    if (value < 0 || value > 65_535) {
      throw new UserException(
          option + " must be a port from 0 to 65535 (0: a free one), was " + value);
    }
  }

  /** A mistake of the user's (a missing file, a bad key): reported in one line, exit 2. */
  public static final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
      super(message);
    }
  }

  /** The version from the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kfm-telemetry-streams " + version(), "telemetry contract v2"};
    }
  }

  /** This build's version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    Properties p = new Properties();
    try (InputStream in =
        KfmCommand.class.getResourceAsStream("/org/kfm/telemetry/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }
}
