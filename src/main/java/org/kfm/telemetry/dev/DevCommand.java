package org.kfm.telemetry.dev;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.kfm.telemetry.app.KfmCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kfm dev}: a broker, a schema registry and the service in one process, for trying kfm out.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Run everything in this process, no Docker: a single-node Kafka broker (KRaft), the embedded "
          + "schema registry (schemas kept in the broker's compacted _schemas topic, so a reused --data-dir keeps "
          + "their ids), the topics of topics.yaml (replication 1), a fresh alert-signing key pair "
          + "and the service. Prints where everything is, then a live count of valid / dlq / duplicate records, "
          + "health checks and alerts. Ctrl-C stops it all. For development only."
    },
    footer = {
      "",
      "Exit status: 130 after Ctrl-C and 143 after SIGTERM (the clean stop runs first, as for any JVM), "
          + "1 when the streams failed for good, 2 when a port is in use."
    })
public final class DevCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--demo",
      description =
          "Publish demo traffic: the seed examples, a simulated day of pipeline "
              + "runs, invalid records and one pipeline below its energy SLO (an alert within about a minute).")
  boolean demo;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Broker logs, streams state, keys and the generated config (default: a new temp directory).")
  Path dataDir;

  @Option(
      names = "--kafka-port",
      defaultValue = "9092",
      paramLabel = "PORT",
      description = "The broker's PLAINTEXT port (default: ${DEFAULT-VALUE}; 0: a free one).")
  int kafkaPort;

  @Option(
      names = "--registry-port",
      defaultValue = "8081",
      paramLabel = "PORT",
      description = "The schema registry's HTTP port (default: ${DEFAULT-VALUE}; 0: a free one).")
  int registryPort;

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      paramLabel = "PORT",
      description = "The ops HTTP endpoints' port (default: ${DEFAULT-VALUE}; 0: a free one).")
  int httpPort;

  static {
    // Kafka's broker logs a lot at INFO; kfm dev shows warnings only (override with -D...=info).
    for (String logger : new String[] {"kafka", "org.apache.kafka", "state.change.logger"}) {
      String key = "org.slf4j.simpleLogger.log." + logger;
      if (System.getProperty(key) == null) {
        System.setProperty(key, "warn");
      }
    }
    // Warnings every kfm dev prints at start and that ask nothing of its user: the new broker's
    // empty metadata log, a state directory under the OS temp directory (kfm dev's data dir is a
    // temporary one unless --data-dir names another), and the stream threads' consumers asking for
    // the de-duplication repartition topic before Kafka Streams has created it (the clients'
    // network
    // warnings are about the broker in this same process).
    for (String logger :
        new String[] {
          "org.apache.kafka.controller.QuorumController",
          "org.apache.kafka.streams.processor.internals.StateDirectory",
          "org.apache.kafka.clients.NetworkClient"
        }) {
      String key = "org.slf4j.simpleLogger.log." + logger;
      if (System.getProperty(key) == null) {
        System.setProperty(key, "error");
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    KfmCommand.port("--kafka-port", kafkaPort);
    KfmCommand.port("--registry-port", registryPort);
    KfmCommand.port("--http-port", httpPort);
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("kfm-dev-");
    out.println(
        "kfm dev: starting a Kafka broker, the schema registry and the service (data dir "
            + dir
            + ") ...");
    out.flush();
    DevMode dev;
    try {
      dev = DevMode.start(new DevMode.Settings(dir, kafkaPort, registryPort, httpPort, demo));
    } catch (EmbeddedKafka.PortTakenException e) {
      throw new KfmCommand.UserException(
          e.getMessage()
              + " (choose another with --kafka-port, --registry-port or "
              + "--http-port)");
    }
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              dev.close();
              done.countDown();
            },
            "kfm-dev-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    dev.banner().forEach(out::println);
    out.flush();
    return live(dev, out, done);
  }

  /**
   * Prints the counts: in place once a second on a terminal, else a line every 10 s when they
   * change.
   */
  private static int live(DevMode dev, PrintWriter out, CountDownLatch done)
      throws InterruptedException, IOException {
    Console console = System.console();
    String last = "";
    while (!done.await(console != null ? 1 : 10, TimeUnit.SECONDS)) {
      if (dev.runtime().failed()) {
        out.println();
        out.println("kfm dev: the streams failed for good (see the error above); stopping");
        out.flush();
        dev.close();
        return 1;
      }
      String line = dev.counts().line();
      if (console != null) {
        out.print("\r" + line + "   ");
        out.flush();
      } else if (!line.equals(last)) {
        out.println(line);
        out.flush();
      }
      last = line;
    }
    return 0;
  }
}
