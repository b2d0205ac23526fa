package org.kfm.telemetry.app;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.kfm.telemetry.config.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kfm dlq}: what is in the dead-letter topic, and sending fixed records back. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = {
      "Find, explain and replay the records the service dead-lettered (kfm.telemetry.dlq, read "
          + "read_committed from every partition, without a consumer group)."
    },
    subcommands = {DlqSummaryCommand.class, DlqShowCommand.class, DlqReplayCommand.class})
final class DlqCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return KfmCommand.EXIT_USAGE;
  }

  /** The --since option of the dlq commands. */
  static final class Since {
    @Option(
        names = "--since",
        paramLabel = "DURATION",
        defaultValue = "24h",
        description =
            "Only dead letters written within this long before now (by record timestamp), e.g. "
                + "30m, 24h, 7d (default: ${DEFAULT-VALUE}).")
    String since;

    Instant from() {
      Duration d = Durations.parse(since);
      if (d == null || d.isNegative() || d.isZero()) {
        throw new KfmCommand.UserException(
            "--since " + since + ": expected a positive duration such as 30m, 24h or 7d");
      }
      return Instant.now().minus(d).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }
  }
}
