package org.kfm.telemetry.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.config.ConfigError;
import org.kfm.telemetry.config.ConfigLoader;
import picocli.CommandLine.Option;

/**
 * The options of commands that talk to Kafka: where it is and how to log in, given like Kafka's own
 * tools (--bootstrap-server, --command-config) or taken from the service's own configuration
 * (--config).
 */
final class KafkaClientOptions {

  @Option(
      names = "--bootstrap-server",
      paramLabel = "HOST:PORT",
      description =
          "Kafka broker(s) to connect to, comma-separated (required unless --config gives "
              + "kafka.bootstrap.servers; wins over it).")
  String bootstrapServer;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description =
          "Java properties file of client settings passed to the Kafka client as they are "
              + "(security.protocol, sasl.*, ssl.*, timeouts, ...), as with Kafka's own tools.")
  Path commandConfig;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The service's YAML configuration (as for kfm run, KFM_KAFKA_* environment overrides "
              + "included): its kafka.* client settings (bootstrap.servers, security.protocol, sasl.*, ssl.*) are "
              + "used, so a deployment needs one place for them. --command-config and --bootstrap-server win.")
  Path serviceConfig;

  /** The environment the KFM_* overrides of --config are read from (tests replace it). */
  Map<String, String> env = System.getenv();

  private String effectiveBootstrap;

  /**
   * The client properties: {@code defaults}, then those of --config's kafka section that {@code
   * clientConfigNames} knows (Streams-only settings such as state.dir are left out), then the
   * --command-config file's, then bootstrap.servers from --bootstrap-server, then {@code forced}
   * (settings the command depends on).
   */
  Properties properties(
      Map<String, String> defaults, Set<String> clientConfigNames, Map<String, String> forced) {
    Properties props = new Properties();
    props.putAll(defaults);
    if (serviceConfig != null) {
      try {
        ConfigLoader.kafkaProperties(serviceConfig, env)
            .forEach(
                (name, value) -> {
                  if (clientConfigNames.contains(name)) {
                    props.put(name, value);
                  }
                });
      } catch (ConfigError e) {
        throw new KfmCommand.UserException("config error: " + e.getMessage());
      }
    }
    if (commandConfig != null) {
      Properties file = new Properties();
      try (Reader in = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8)) {
        file.load(in);
      } catch (NoSuchFileException e) {
        throw new KfmCommand.UserException("--command-config " + commandConfig + ": no such file");
      } catch (IOException | IllegalArgumentException e) {
        throw new KfmCommand.UserException(
            "--command-config " + commandConfig + ": " + e.getMessage());
      }
      props.putAll(file);
    }
    if (bootstrapServer != null) {
      props.put("bootstrap.servers", bootstrapServer);
    }
    if (props.getProperty("bootstrap.servers", "").isBlank()) {
      throw new KfmCommand.UserException(
          "missing --bootstrap-server HOST:PORT (or --config FILE with kafka.bootstrap.servers)");
    }
    props.putAll(forced);
    effectiveBootstrap = props.getProperty("bootstrap.servers");
    quietClientLogs();
    return props;
  }

  /**
   * The service's configuration from --config (topics, validator settings), or the defaults of
   * {@code kfm run} when --config is not given.
   */
  AppConfig app() {
    if (serviceConfig == null) {
      return AppConfig.defaults();
    }
    try {
      return ConfigLoader.load(serviceConfig, env, false).app();
    } catch (ConfigError e) {
      throw new KfmCommand.UserException("config error: " + e.getMessage());
    }
  }

  /** The bootstrap servers {@link #properties} settled on, for messages. */
  String bootstrapServers() {
    return effectiveBootstrap != null ? effectiveBootstrap : String.valueOf(bootstrapServer);
  }

  // The Kafka clients log every config at INFO and every failed connection attempt at WARN; a
  // command line tool reports what went wrong itself, in one line. An explicit setting still wins.
  // NetworkClient's errors are failed connections and logins, which the command reports as the
  // failure of its request (e.g. a refused password): off, so that it is said once.
  static void quietClientLogs() {
    String key = "org.slf4j.simpleLogger.log.org.apache.kafka";
    if (System.getProperty(key) == null) {
      System.setProperty(key, "error");
    }
    String network = key + ".clients.NetworkClient";
    if (System.getProperty(network) == null) {
      System.setProperty(network, "off");
    }
  }
}
