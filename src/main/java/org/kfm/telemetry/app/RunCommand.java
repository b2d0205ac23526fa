package org.kfm.telemetry.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kfm.telemetry.config.ConfigError;
import org.kfm.telemetry.config.ConfigLoader;
import org.kfm.telemetry.config.ServiceConfig;
import org.kfm.telemetry.ops.OpsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kfm run --config FILE}: runs the service against a real Kafka cluster until SIGTERM or
 * Ctrl-C.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the service: read the YAML configuration (KFM_* environment variables override it), "
          + "start the Kafka Streams topology and the ops HTTP endpoints (/healthz, /readyz, /metrics, "
          + "/api/health-checks). Stops gracefully on SIGTERM or Ctrl-C.",
      "Exit status: 143 after SIGTERM and 130 after Ctrl-C (the graceful stop runs first, as for any JVM), 1 when the "
          + "streams failed for good, 2 on a configuration error (credentials or ACLs that Kafka or the "
          + "schema registry refuse at start included)."
    })
public final class RunCommand implements Callable<Integer> {

  public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The YAML configuration (see config/kfm.example.yaml).")
  Path config;

  /** The environment the KFM_* overrides are read from (tests replace it). */
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() throws InterruptedException {
    ServiceConfig loaded;
    try {
      loaded = ConfigLoader.load(config, env, true);
    } catch (ConfigError e) {
      throw new KfmCommand.UserException("config error: " + e.getMessage());
    }
    LOG.info(
        "configuration from {} (KFM_* overrides applied):\n  {}",
        config,
        String.join("\n  ", loaded.describe()));
    ServiceRuntime runtime;
    try {
      runtime = ServiceRuntime.start(loaded, KfmCommand.version());
    } catch (OpsServer.PortInUseException e) {
      throw new KfmCommand.UserException(e.getMessage());
    } catch (ConfigError e) {
      throw new KfmCommand.UserException("config error: " + e.getMessage());
    }
    Thread hook = new Thread(() -> runtime.close(SHUTDOWN_TIMEOUT), "kfm-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    runtime.awaitTermination();
    if (runtime.failed()) {
      LOG.error("the streams failed for good (see the error above); exiting");
      runtime.close(SHUTDOWN_TIMEOUT);
      return 1;
    }
    return 0;
  }
}
