package org.kfm.telemetry.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;
import org.kfm.telemetry.contract.Ed25519Keys;
import org.kfm.telemetry.contract.Limits;
import org.kfm.telemetry.serde.AvroSerdeConfig;
import org.kfm.telemetry.validation.TrustedKeys;
import org.kfm.telemetry.validation.ValidatorOptions;

/**
 * Reads the service configuration: one YAML file, then {@code KFM_*} environment variables on top,
 * validated into a {@link ServiceConfig}. Every mistake is a {@link ConfigError} naming the key.
 *
 * <p>Environment mapping: {@code KFM_} + the key in upper case with {@code .} and {@code -} as
 * {@code _} ({@code health.evaluation-interval} ← {@code KFM_HEALTH_EVALUATION_INTERVAL}); for the
 * pass-through sections every {@code _} after {@code KFM_KAFKA_} / {@code KFM_SERDE_} is a dot
 * ({@code KFM_KAFKA_BOOTSTRAP_SERVERS} → {@code kafka.bootstrap.servers}). Lists (trusted keys) are
 * comma-separated. Per-pipeline SLO overrides are set in the file only.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "KFM_";
  public static final String KAFKA = "kafka.";
  public static final String SERDE = "serde.";
  public static final String OVERRIDES = "health.slo.overrides.";
  public static final String ALERT_PUBLIC_KEY = "health.alerts.public-key";
  public static final String TRUSTED_KEYS = "validator.trusted-keys";
  /** Environment variables of the launcher, not settings. */
  private static final Set<String> NOT_SETTINGS = Set.of("KFM_JAVA_OPTS", "KFM_CONFIG");

  /** Every typed key with its default ("" = none). The example file documents the same keys. */
  public static final Map<String, String> DEFAULTS = defaults();

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Map<String, String> values;

  private ConfigLoader(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Loads {@code file} with {@code env}'s {@code KFM_*} overrides.
   *
   * @param requireSigningKey whether alerts without a signing key are an error ({@code run} mode)
   *     rather than switched off
   * @throws ConfigError naming the key that is missing or wrong
   */
  public static ServiceConfig load(Path file, Map<String, String> env, boolean requireSigningKey) {
    Map<String, String> flat = new TreeMap<>(readYaml(file));
    flat.putAll(fromEnvironment(env));
    return new ConfigLoader(flat).build(requireSigningKey);
  }

  /**
   * Only the {@code kafka.*} properties of {@code file} with {@code env}'s overrides (names without the
   * prefix), for command-line tools that talk to the same cluster as the service ({@code kfm topics},
   * {@code kfm produce}) and need neither its keys nor its registry.
   *
   * @throws ConfigError when the file cannot be read or {@code kafka.bootstrap.servers} is missing
   */
  public static Map<String, String> kafkaProperties(Path file, Map<String, String> env) {
    Map<String, String> flat = new TreeMap<>(readYaml(file));
    flat.putAll(fromEnvironment(env));
    Map<String, String> kafka = new TreeMap<>();
    flat.forEach((key, value) -> {
      if (key.startsWith(KAFKA)) {
        kafka.put(key.substring(KAFKA.length()), value);
      }
    });
    requireBootstrapServers(kafka);
    return kafka;
  }

  private static void requireBootstrapServers(Map<String, String> kafka) {
    if (kafka.getOrDefault("bootstrap.servers", "").isBlank()) {
      throw new ConfigError("kafka.bootstrap.servers", "missing: set it in the file or with KFM_KAFKA_BOOTSTRAP_SERVERS");
    }
  }

  /** The settings named by {@code KFM_*} variables, as dotted keys. */
  public static Map<String, String> fromEnvironment(Map<String, String> env) {
    Map<String, String> byEnvName = new LinkedHashMap<>();
    DEFAULTS.keySet().forEach(k -> byEnvName.put(envName(k), k));
    Map<String, String> out = new TreeMap<>();
    env.forEach((name, value) -> {
      if (!name.startsWith(ENV_PREFIX) || NOT_SETTINGS.contains(name)) {
        return;
      }
      String key = byEnvName.get(name);
      if (key == null && (name.startsWith("KFM_KAFKA_") || name.startsWith("KFM_SERDE_"))) {
        key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
      }
      if (key == null) {
        throw new ConfigError(name, "unknown setting (see config/kfm.example.yaml for the keys; "
            + "KFM_ + the key in upper case with . and - as _)");
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
      throw new ConfigError("--config", file + ": not valid YAML" + where + ": " + e.getOriginalMessage());
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
      node.properties().forEach(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
          e.getValue(), out));
    } else if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(item -> {
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

  private ServiceConfig build(boolean requireSigningKey) {
    Map<String, String> kafka = new TreeMap<>();
    Map<String, String> serde = new TreeMap<>();
    Map<String, Map<String, String>> overrides = new TreeMap<>();
    values.forEach((key, value) -> {
      if (key.startsWith(KAFKA)) {
        kafka.put(key.substring(KAFKA.length()), value);
      } else if (key.startsWith(SERDE)) {
        serde.put(key.substring(SERDE.length()), value);
      } else if (key.startsWith(OVERRIDES)) {
        int dot = key.lastIndexOf('.');
        String field = key.substring(dot + 1);
        if (dot <= OVERRIDES.length() || !field.equals("trace-pct") && !field.equals("energy-pct")) {
          throw new ConfigError(key, "an override is health.slo.overrides.<pipeline or glob>.trace-pct / energy-pct");
        }
        overrides.computeIfAbsent(key.substring(OVERRIDES.length(), dot), p -> new TreeMap<>()).put(field, value);
      } else if (key.equals("kafka") || key.equals("serde")) {
        throw new ConfigError(key, "must be a mapping of properties (name: value)");
      } else if (!DEFAULTS.containsKey(key)) {
        throw new ConfigError(key, "unknown setting (see config/kfm.example.yaml)");
      }
    });
    requireBootstrapServers(kafka);
    if (serde.getOrDefault(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "").isBlank()) {
      throw new ConfigError("serde.schema.registry.url",
          "missing: set it in the file or with KFM_SERDE_SCHEMA_REGISTRY_URL");
    }
    try {
      AvroSerdeConfig.parse(serde, false);
    } catch (ConfigException e) {
      throw new ConfigError("serde", Secrets.mask("serde", e.getMessage()));
    }

    Topics topics = new Topics(string("topics.raw"), string("topics.valid"), string("topics.dlq"),
        string("topics.health"), string("topics.alerts"));
    Limits limits = new Limits(positiveInt("validator.max-record-bytes"), positiveInt("validator.max-depth"),
        positiveInt("validator.max-string-length"), positiveInt("validator.max-name-length"),
        positiveInt("validator.max-number-length"));
    ValidatorOptions validator = new ValidatorOptions(limits, Clock.systemUTC(),
        duration("validator.max-future-skew", true), nonNegativeInt("validator.geo-max-decimals"), trustedKeys());

    HealthConfig health = health(overrides, requireSigningKey);
    AppConfig app;
    try {
      app = new AppConfig(topics, duration("dedup.retention", false), validator, health);
    } catch (IllegalArgumentException e) {
      throw new ConfigError("config", e.getMessage());
    }
    int port = nonNegativeInt("http.port");
    if (port > 65535) {
      throw new ConfigError("http.port", port + " is not a port (0..65535)");
    }
    Map<String, String> effective = new TreeMap<>();
    DEFAULTS.forEach((k, v) -> effective.put(k, get(k)));
    effective.put(HealthConfig.ALERTS_ENABLED, String.valueOf(health.alertsEnabled()));
    values.forEach((k, v) -> {
      if (k.startsWith(KAFKA) || k.startsWith(SERDE) || k.startsWith(OVERRIDES)) {
        effective.put(k, v);
      }
    });
    return new ServiceConfig(app, port, kafka, serde, effective);
  }

  private HealthConfig health(Map<String, Map<String, String>> overrideValues, boolean requireSigningKey) {
    Slo slo = new Slo(pct("health.slo.trace-pct"), pct("health.slo.energy-pct"));
    Map<String, Slo> overrides = new LinkedHashMap<>();
    overrideValues.forEach((pipeline, fields) -> overrides.put(pipeline, new Slo(
        fields.containsKey("trace-pct") ? pct(OVERRIDES + pipeline + ".trace-pct") : slo.tracePct(),
        fields.containsKey("energy-pct") ? pct(OVERRIDES + pipeline + ".energy-pct") : slo.energyPct())));
    boolean enabled = bool("health.enabled");
    HealthConfig h;
    try {
      h = new HealthConfig(enabled, duration("health.window", false),
          duration("health.evaluation-interval", false), duration("health.grace", true),
          duration("health.allowed-lateness", true), duration("health.max-clock-skew", true),
          duration("health.silence-gap", false), slo, overrides, nonNegativeInt("health.min-runs"),
          string("topics.health-repartition"), false, null, string("health.alerts.source"));
    } catch (IllegalArgumentException e) {
      throw new ConfigError("health", e.getMessage());
    }
    String alertsSetting = get(HealthConfig.ALERTS_ENABLED);
    boolean alertsOn = !alertsSetting.isBlank() && bool(HealthConfig.ALERTS_ENABLED);
    AlertSigning signing = signing();
    boolean alerts = enabled && (alertsSetting.isBlank() ? signing != null || requireSigningKey : alertsOn);
    if (alerts && signing == null) {
      throw new ConfigError(HealthConfig.SIGNING_KEY, "missing: alerts must be signed; set it to a PKCS#8 PEM file "
          + "(kfm keys generate), or set " + HealthConfig.ALERTS_ENABLED + ": false");
    }
    return alerts ? h.withSigning(signing) : h;
  }

  private AlertSigning signing() {
    String keyPath = get(HealthConfig.SIGNING_KEY);
    if (keyPath.isBlank()) {
      return null;
    }
    PrivateKey key;
    try {
      key = Ed25519Keys.readPrivateKey(Path.of(keyPath));
    } catch (NoSuchFileException e) {
      throw new ConfigError(HealthConfig.SIGNING_KEY, keyPath + ": no such file");
    } catch (IOException e) {
      throw new ConfigError(HealthConfig.SIGNING_KEY, e.getMessage());
    }
    PublicKey derived = Ed25519Keys.publicKeyOf(key);
    String pubPath = get(ALERT_PUBLIC_KEY);
    if (!pubPath.isBlank()) {
      PublicKey given = publicKey(ALERT_PUBLIC_KEY, pubPath);
      if (!Ed25519Keys.keyId(given).equals(Ed25519Keys.keyId(derived))) {
        throw new ConfigError(ALERT_PUBLIC_KEY, pubPath + " is not the public key of " + HealthConfig.SIGNING_KEY);
      }
    }
    return new AlertSigning(key, Ed25519Keys.keyId(derived));
  }

  private TrustedKeys trustedKeys() {
    Map<String, PublicKey> byId = new LinkedHashMap<>();
    for (String path : get(TRUSTED_KEYS).split(",")) {
      if (!path.isBlank()) {
        PublicKey key = publicKey(TRUSTED_KEYS, path.trim());
        byId.put(Ed25519Keys.keyId(key), key);
      }
    }
    return byId.isEmpty() ? TrustedKeys.none() : TrustedKeys.of(byId);
  }

  private static PublicKey publicKey(String key, String path) {
    try {
      return Ed25519Keys.readPublicKey(Path.of(path));
    } catch (NoSuchFileException e) {
      throw new ConfigError(key, path + ": no such file");
    } catch (IOException e) {
      throw new ConfigError(key, e.getMessage());
    }
  }

  private String get(String key) {
    return values.getOrDefault(key, DEFAULTS.get(key)).trim();
  }

  private String string(String key) {
    String v = get(key);
    if (v.isEmpty()) {
      throw new ConfigError(key, "must not be empty");
    }
    return v;
  }

  private Duration duration(String key, boolean zeroAllowed) {
    String v = get(key);
    Duration d = Durations.parse(v);
    if (d == null) {
      throw new ConfigError(key, quote(key, v) + " is not a duration (use 24h, 90m or PT1H)");
    }
    if (d.isNegative() || !zeroAllowed && d.isZero()) {
      throw new ConfigError(key, quote(key, v) + " must be " + (zeroAllowed ? "zero or more" : "more than zero"));
    }
    return d;
  }

  private int positiveInt(String key) {
    int n = nonNegativeInt(key);
    if (n == 0) {
      throw new ConfigError(key, "must be more than zero");
    }
    return n;
  }

  private int nonNegativeInt(String key) {
    String v = get(key);
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw new ConfigError(key, quote(key, v) + " must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigError(key, quote(key, v) + " is not a whole number");
    }
  }

  private double pct(String key) {
    String v = get(key);
    try {
      double d = Double.parseDouble(v);
      if (!(d >= 0 && d <= 100)) {
        throw new ConfigError(key, quote(key, v) + " is not a percentage (0..100)");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ConfigError(key, quote(key, v) + " is not a number (a percentage, e.g. 97.5)");
    }
  }

  private boolean bool(String key) {
    String v = get(key).toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new ConfigError(key, quote(key, v) + " is not true or false");
  }

  private static String quote(String key, String value) {
    return "\"" + Secrets.mask(key, value) + "\"";
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    Topics t = Topics.DEFAULTS;
    d.put("topics.raw", t.raw());
    d.put("topics.valid", t.valid());
    d.put("topics.dlq", t.dlq());
    d.put("topics.health", t.health());
    d.put("topics.alerts", t.alerts());
    d.put("topics.health-repartition", HealthConfig.DEFAULT_REPARTITION_TOPIC);
    AppConfig app = AppConfig.defaults();
    d.put("dedup.retention", Durations.format(app.dedupRetention()));
    ValidatorOptions v = app.validator();
    d.put("validator.max-record-bytes", String.valueOf(v.limits().maxRecordBytes()));
    d.put("validator.max-depth", String.valueOf(v.limits().maxDepth()));
    d.put("validator.max-string-length", String.valueOf(v.limits().maxStringLength()));
    d.put("validator.max-name-length", String.valueOf(v.limits().maxNameLength()));
    d.put("validator.max-number-length", String.valueOf(v.limits().maxNumberLength()));
    d.put("validator.max-future-skew", Durations.format(v.maxFutureSkew()));
    d.put("validator.geo-max-decimals", String.valueOf(v.geoMaxDecimals()));
    d.put(TRUSTED_KEYS, "");
    HealthConfig h = app.health();
    d.put("health.enabled", String.valueOf(h.enabled()));
    d.put("health.window", Durations.format(h.window()));
    d.put("health.evaluation-interval", Durations.format(h.evaluationInterval()));
    d.put("health.grace", Durations.format(h.grace()));
    d.put("health.allowed-lateness", Durations.format(h.allowedLateness()));
    d.put("health.max-clock-skew", Durations.format(h.maxClockSkew()));
    d.put("health.silence-gap", Durations.format(h.silenceGap()));
    d.put("health.min-runs", String.valueOf(h.minRuns()));
    d.put("health.slo.trace-pct", String.valueOf(h.slo().tracePct()));
    d.put("health.slo.energy-pct", String.valueOf(h.slo().energyPct()));
    d.put(HealthConfig.ALERTS_ENABLED, "");
    d.put(HealthConfig.SIGNING_KEY, "");
    d.put(ALERT_PUBLIC_KEY, "");
    d.put("health.alerts.source", h.alertSource());
    d.put("http.port", "8080");
    return Map.copyOf(d);
  }
}
