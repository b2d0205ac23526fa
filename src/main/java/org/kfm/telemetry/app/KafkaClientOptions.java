package org.kfm.telemetry.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The options of commands that talk to Kafka: where it is and how to log in (like Kafka's own tools). */
final class KafkaClientOptions {

  @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT",
      description = "Kafka broker(s) to connect to, comma-separated.")
  String bootstrapServer;

  @Option(names = "--command-config", paramLabel = "FILE",
      description = "Java properties file of client settings passed to the Kafka client as they are "
          + "(security.protocol, sasl.*, ssl.*, timeouts, ...), as with Kafka's own tools.")
  Path commandConfig;

  /**
   * The client properties: {@code defaults}, then the --command-config file's, then bootstrap.servers
   * from --bootstrap-server, then {@code forced} (settings the command depends on).
   */
  Properties properties(Map<String, String> defaults, Map<String, String> forced) {
    Properties props = new Properties();
    props.putAll(defaults);
    if (commandConfig != null) {
      Properties file = new Properties();
      try (Reader in = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8)) {
        file.load(in);
      } catch (NoSuchFileException e) {
        throw new KfmCommand.UserException("--command-config " + commandConfig + ": no such file");
      } catch (IOException | IllegalArgumentException e) {
        throw new KfmCommand.UserException("--command-config " + commandConfig + ": " + e.getMessage());
      }
      props.putAll(file);
    }
    props.put("bootstrap.servers", bootstrapServer);
    props.putAll(forced);
    quietClientLogs();
    return props;
  }

  // The Kafka clients log every config at INFO and every failed connection attempt at WARN; a command
  // line tool reports what went wrong itself, in one line. An explicit setting still wins.
  private static void quietClientLogs() {
    String key = "org.slf4j.simpleLogger.log.org.apache.kafka";
    if (System.getProperty(key) == null) {
      System.setProperty(key, "error");
    }
  }
}
