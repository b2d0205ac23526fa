package org.kfm.telemetry.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.kfm.telemetry.ops.topics.KafkaTopicAdmin;
import org.kfm.telemetry.ops.topics.Plan;
import org.kfm.telemetry.ops.topics.TopicApplier;
import org.kfm.telemetry.ops.topics.TopicPlanner;
import org.kfm.telemetry.ops.topics.TopicSpec;
import org.kfm.telemetry.ops.topics.TopicsFile;
import org.kfm.telemetry.ops.topics.TopicsFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kfm topics diff|apply}: topics as code, from topics.yaml. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description =
        "Compare the cluster's topics with topics.yaml (diff) or make them match (apply).",
    subcommands = {TopicsCommand.Diff.class, TopicsCommand.Apply.class})
final class TopicsCommand implements Callable<Integer> {

  /**
   * Bounded waits: an unreachable cluster is reported within seconds (--command-config may change
   * them).
   */
  static final Map<String, String> ADMIN_DEFAULTS =
      Map.of(
          "default.api.timeout.ms", "15000",
          "request.timeout.ms", "10000",
          "client.id", "kfm-topics");

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return KfmCommand.EXIT_USAGE;
  }

  /** The options diff and apply share. */
  static final class Options {
    @Mixin KafkaClientOptions kafka;

    @Option(
        names = "--file",
        paramLabel = "FILE",
        defaultValue = TopicsFile.DEFAULT_NAME,
        description = "The topics file (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(
        names = "--replication-factor",
        paramLabel = "N",
        description =
            "Use N instead of topics.yaml's replication factors (and cap min.insync.replicas at N); "
                + "for dev clusters with fewer brokers, e.g. 1 for a single broker.")
    Short replicationFactor;

    List<TopicSpec> topics() {
      if (replicationFactor != null) {
        KfmCommand.atLeast("--replication-factor", replicationFactor, 1);
      }
      try {
        List<TopicSpec> specs = TopicsFile.load(file);
        return replicationFactor == null
            ? specs
            : specs.stream().map(t -> t.withReplicationFactor(replicationFactor)).toList();
      } catch (TopicsFileException e) {
        throw new KfmCommand.UserException(e.getMessage());
      }
    }

    /**
     * Loads the topics file, connects, plans against the cluster, lets {@code act} print or carry
     * out the plan (the admin client still open), then prints the summary; a cluster failure
     * becomes one readable line.
     */
    int run(PrintWriter out, String command, String verb, BiConsumer<Plan, KafkaTopicAdmin> act) {
      List<TopicSpec> specs = topics();
      Properties props =
          kafka.properties(ADMIN_DEFAULTS, AdminClientConfig.configNames(), Map.of());
      try (KafkaTopicAdmin admin = KafkaTopicAdmin.connect(props)) {
        Plan plan =
            TopicPlanner.plan(specs, admin.describe(specs.stream().map(TopicSpec::name).toList()));
        act.accept(plan, admin);
        out.println(summary(command, specs, plan, verb));
        return 0;
      } catch (KafkaTopicAdmin.ClusterException e) {
        out.flush();
        // a refused login or permission: say whose (never the secret)
        boolean refused = false;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
          refused |=
              t instanceof org.apache.kafka.common.errors.AuthenticationException
                  || t instanceof org.apache.kafka.common.errors.AuthorizationException;
        }
        throw new KfmCommand.UserException(
            e.getMessage() + (refused ? " (as " + AccessCheck.who(props) + ")" : ""));
      }
    }
  }

  @Command(
      name = "diff",
      mixinStandardHelpOptions = true,
      description = {
        "Print what 'apply' would change, one line per action: create, partitions, configs; "
            + "and 'refuse' lines for differences kfm never changes (deleting topics, lowering partitions, "
            + "replication factors). Changes nothing."
      },
      footer = {
        "",
        "Exit status: 0 (whether or not changes are pending), 2 usage, file or connection error."
      })
  static final class Diff implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin Options options;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return options.run(
          out,
          "kfm topics diff",
          "pending",
          (plan, admin) -> plan.actions().forEach(a -> out.println(a.line())));
    }
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Make the cluster match topics.yaml: create missing topics, add partitions, set configs "
            + "(incrementalAlterConfigs; configs not in the file are left alone). Never deletes a topic, lowers "
            + "partitions or changes replication: those differences are printed as 'refuse' lines. Idempotent."
      },
      footer = {
        "",
        "Exit status: 0 done (refusals included), 2 usage, file or connection error, or a change failed."
      })
  static final class Apply implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin Options options;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return options.run(
          out,
          "kfm topics apply",
          "applied",
          (plan, admin) -> {
            plan.refusals().forEach(a -> out.println(a.line()));
            TopicApplier.apply(
                plan,
                admin,
                a -> {
                  out.println(a.line() + "  [done]");
                  out.flush();
                });
          });
    }
  }

  static String summary(String command, List<TopicSpec> specs, Plan plan, String verb) {
    if (plan.isEmpty()) {
      return command
          + ": nothing to do, the cluster matches topics.yaml ("
          + specs.size()
          + " topics)";
    }
    return command
        + ": "
        + plan.changes().size()
        + " change(s) "
        + verb
        + ", "
        + plan.refusals().size()
        + " refused ("
        + specs.size()
        + " topics declared)";
  }
}
