package org.kfm.telemetry.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the service configuration: one YAML file, then {@code KFM_*} environment variables on top,
 * validated into a {@link ServiceConfig}. Every mistake is a {@link ConfigError} naming the key.
 *
 * <p>Environment mapping: {@code KFM_} + the key in upper case with {@code .} and {@code -} as
 * {@code _} ({@code health.evaluation-interval} ← {@code KFM_HEALTH_EVALUATION_INTERVAL}); for the
 * pass-through sections every {@code _} after {@code KFM_KAFKA_} / {@code KFM_SERDE_} is a dot
 * ({@code KFM_KAFKA_BOOTSTRAP_SERVERS} → {@code kafka.bootstrap.servers}). Lists (trusted keys) are
 * comma-separated. Per-pipeline SLO overrides are set in the file only. The keys and their defaults
 * are in {@link ConfigKeys}.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "KFM_";

  /** Environment variables of the launcher, not settings. */
  private static final Set<String> NOT_SETTINGS = Set.of("KFM_JAVA_OPTS", "KFM_CONFIG");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ConfigLoader() {}

  /**
   * Loads {@code file} with {@code env}'s {@code KFM_*} overrides.
   *
   * @param requireSigningKey whether alerts without a signing key are an error ({@code run} mode)
   *     rather than switched off
   * @throws ConfigError naming the key that is missing or wrong
   */
  public static ServiceConfig load(Path file, Map<String, String> env, boolean requireSigningKey) {
    return ServiceConfigBinder.bind(new Settings(read(file, env)), requireSigningKey);
  }

  /**
   * Only the {@code kafka.*} properties of {@code file} with {@code env}'s overrides (names without
   * the prefix), for command-line tools that talk to the same cluster as the service ({@code kfm
   * topics}, {@code kfm produce}) and need neither its keys nor its registry; they may name the
   * brokers themselves ({@code --bootstrap-server}), so {@code bootstrap.servers} may be missing.
   *
   * @throws ConfigError when the file cannot be read
   */
  public static Map<String, String> kafkaProperties(Path file, Map<String, String> env) {
    Map<String, String> kafka = new TreeMap<>();
    read(file, env)
        .forEach(
            (key, value) -> {
              if (key.startsWith(ConfigKeys.KAFKA)) {
                kafka.put(key.substring(ConfigKeys.KAFKA.length()), value);
              }
            });
    return kafka;
  }

  /** The settings of {@code file} with those of {@code env} on top, as dotted keys in order. */
  private static Map<String, String> read(Path file, Map<String, String> env) {
    Map<String, String> flat = new TreeMap<>(readYaml(file));
    flat.putAll(fromEnvironment(env));
    return flat;
  }

  /** The settings named by {@code KFM_*} variables, as dotted keys. */
  public static Map<String, String> fromEnvironment(Map<String, String> env) {
    Map<String, String> byEnvName = new HashMap<>();
    ConfigKeys.DEFAULTS.keySet().forEach(k -> byEnvName.put(envName(k), k));
    Map<String, String> derivedByEnvName = new HashMap<>();
    ConfigKeys.derivedKeys().forEach(k -> derivedByEnvName.put(envName(k), k));
    Map<String, String> out = new TreeMap<>();
    env.forEach(
        (name, value) -> {
          if (!name.startsWith(ENV_PREFIX) || NOT_SETTINGS.contains(name)) {
            return;
          }
          String key = byEnvName.get(name);
          if (key == null && (name.startsWith("KFM_KAFKA_") || name.startsWith("KFM_SERDE_"))) {
            key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
          }
          if (key == null) {
            throw new ConfigError(
                name,
                ConfigKeys.unknown(
                    derivedByEnvName.get(name),
                    "see config/kfm.example.yaml for the keys; KFM_ + the key in upper case with . and - as _"));
          }
          out.put(key, value);
        });
    return out;
  }

  /** The environment variable that overrides {@code key}. */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static Map<String, String> readYaml(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ConfigError("--config", file + ": no such file");
    } catch (JacksonException e) {
      String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
      throw new ConfigError(
          "--config", file + ": not valid YAML" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigError("--config", file + ": cannot be read (" + e.getMessage() + ")");
    }
    Map<String, String> flat = new TreeMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return flat;
    }
    if (!root.isObject()) {
      throw new ConfigError("--config", file + ": must be a YAML mapping of settings");
    }
    flatten("", root, flat);
    return flat;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e ->
                  flatten(
                      prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                      e.getValue(),
                      out));
    } else if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(
          item -> {
            if (item.isContainerNode()) {
              throw new ConfigError(prefix, "must be a list of plain values");
            }
            items.add(item.asText());
          });
      out.put(prefix, String.join(",", items));
    } else if (!node.isNull()) {
      out.put(prefix, node.asText());
    }
  }
}
