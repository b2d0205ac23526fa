package org.kfm.telemetry.config;

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

  /** The dotted key, e.g. {@code health.window} or {@code kafka.bootstrap.servers}. */
  public String key() {
    return key;
  }
}
