package org.kfm.telemetry.config;

import org.apache.kafka.common.config.ConfigException;

/**
 * A configuration mistake, found at start-up: names the key (as written in the YAML file, dotted)
 * and says what is wrong, never repeating a secret value.
 */
public final class ConfigError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigError(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /**
   * Kafka's own refusal of a {@code kafka.*} property (a client or Kafka Streams checking its
   * configuration), without any secret value: Kafka hides password-typed values itself; a message
   * naming another secret key is withheld whole.
   */
  public static ConfigError kafka(ConfigException e) {
    String message = String.valueOf(e.getMessage());
    return new ConfigError(
        "kafka",
        Secrets.isSecret(message)
            ? "a secret property is invalid (value not shown)"
            : Secrets.mask("kafka", message));
  }

  /** The dotted key, e.g. {@code health.window} or {@code kafka.bootstrap.servers}. */
  public String key() {
    return key;
  }
}
