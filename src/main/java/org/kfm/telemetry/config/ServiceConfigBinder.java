package org.kfm.telemetry.config;

import static org.kfm.telemetry.config.ConfigKeys.ALERT_PUBLIC_KEY;
import static org.kfm.telemetry.config.ConfigKeys.KAFKA;
import static org.kfm.telemetry.config.ConfigKeys.OVERRIDES;
import static org.kfm.telemetry.config.ConfigKeys.SERDE;
import static org.kfm.telemetry.config.ConfigKeys.TRUSTED_KEYS;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;
import org.kfm.telemetry.contract.Ed25519Keys;
import org.kfm.telemetry.contract.Limits;
import org.kfm.telemetry.serde.AvroSerdeConfig;
import org.kfm.telemetry.validation.TrustedKeys;
import org.kfm.telemetry.validation.ValidatorOptions;

/**
 * Validates the settings of one load into a {@link ServiceConfig}: every key known, every value of
 * its type, the key files readable and matching; the first mistake is a {@link ConfigError} naming
 * the key.
 */
final class ServiceConfigBinder {

  private final Settings settings;

  private ServiceConfigBinder(Settings settings) {
    this.settings = settings;
  }

  /**
   * @param requireSigningKey whether alerts without a signing key are an error ({@code run} mode)
   *     rather than switched off
   */
  static ServiceConfig bind(Settings settings, boolean requireSigningKey) {
    return new ServiceConfigBinder(settings).build(requireSigningKey);
  }

  /** Fails unless the Kafka properties (names without the prefix) name the bootstrap servers. */
  static void requireBootstrapServers(Map<String, String> kafka) {
    if (kafka.getOrDefault("bootstrap.servers", "").isBlank()) {
      throw new ConfigError(
          "kafka.bootstrap.servers",
          "missing: set it in the file or with KFM_KAFKA_BOOTSTRAP_SERVERS");
    }
  }

  /**
   * Kafka Streams accepts no stream threads at all (an application of global stores only); the
   * service would then read nothing while it looks alive. A value that is not a number is left to
   * Kafka Streams to refuse.
   */
  private static void requireStreamThreads(String threads) {
    if (threads == null) {
      return;
    }
    try {
      int n = Integer.parseInt(threads.trim());
      if (n < 1) {
        throw new ConfigError(
            "kafka.num.stream.threads",
            "must be at least 1, was " + n + " (the service's records are processed on them)");
      }
    } catch (NumberFormatException e) {
      // Kafka Streams names it
    }
  }

  private ServiceConfig build(boolean requireSigningKey) {
    Map<String, String> kafka = new TreeMap<>();
    Map<String, String> serde = new TreeMap<>();
    Map<String, Map<String, String>> overrides = new TreeMap<>();
    settings
        .given()
        .forEach(
            (key, value) -> {
              if (key.startsWith(KAFKA)) {
                kafka.put(key.substring(KAFKA.length()), value);
              } else if (key.startsWith(SERDE)) {
                serde.put(key.substring(SERDE.length()), value);
              } else if (key.startsWith(OVERRIDES)) {
                int dot = key.lastIndexOf('.');
                String field = key.substring(dot + 1);
                if (dot <= OVERRIDES.length()
                    || !field.equals("trace-pct") && !field.equals("energy-pct")) {
                  throw new ConfigError(
                      key,
                      "an override is health.slo.overrides.<pipeline or glob>.trace-pct / energy-pct");
                }
                overrides
                    .computeIfAbsent(key.substring(OVERRIDES.length(), dot), p -> new TreeMap<>())
                    .put(field, value);
              } else if (key.equals("kafka") || key.equals("serde")) {
                throw new ConfigError(key, "must be a mapping of properties (name: value)");
              } else if (!ConfigKeys.DEFAULTS.containsKey(key)) {
                throw new ConfigError(key, ConfigKeys.unknown(key, "see config/kfm.example.yaml"));
              }
            });
    requireBootstrapServers(kafka);
    requireStreamThreads(kafka.get("num.stream.threads"));
    if (serde.getOrDefault(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "").isBlank()) {
      throw new ConfigError(
          "serde.schema.registry.url",
          "missing: set it in the file or with KFM_SERDE_SCHEMA_REGISTRY_URL");
    }
    try {
      AvroSerdeConfig.parse(serde, false);
    } catch (ConfigException e) {
      throw new ConfigError("serde", Secrets.mask("serde", e.getMessage()));
    }

    Topics topics =
        new Topics(
            settings.string("topics.raw"),
            settings.string("topics.valid"),
            settings.string("topics.dlq"),
            settings.string("topics.health"),
            settings.string("topics.alerts"));
    Limits limits =
        new Limits(
            settings.positiveInt("validator.max-record-bytes"),
            settings.positiveInt("validator.max-depth"),
            settings.positiveInt("validator.max-string-length"),
            settings.positiveInt("validator.max-name-length"),
            settings.positiveInt("validator.max-number-length"));
    ValidatorOptions validator =
        new ValidatorOptions(
            limits,
            Clock.systemUTC(),
            settings.duration("validator.max-future-skew", true),
            settings.nonNegativeInt("validator.geo-max-decimals"),
            trustedKeys());

    HealthConfig health = health(overrides, requireSigningKey);
    AppConfig app;
    try {
      app = new AppConfig(topics, settings.duration("dedup.retention", false), validator, health);
    } catch (IllegalArgumentException e) {
      throw new ConfigError("config", e.getMessage());
    }
    int port = settings.nonNegativeInt("http.port");
    if (port > 65535) {
      throw new ConfigError("http.port", port + " is not a port (0..65535)");
    }
    Map<String, String> effective = new TreeMap<>();
    ConfigKeys.DEFAULTS.forEach((k, v) -> effective.put(k, settings.get(k)));
    effective.put(HealthConfig.ALERTS_ENABLED, String.valueOf(health.alertsEnabled()));
    settings
        .given()
        .forEach(
            (k, v) -> {
              if (k.startsWith(KAFKA) || k.startsWith(SERDE) || k.startsWith(OVERRIDES)) {
                effective.put(k, v);
              }
            });
    return new ServiceConfig(app, port, kafka, serde, effective);
  }

  private HealthConfig health(
      Map<String, Map<String, String>> overrideValues, boolean requireSigningKey) {
    Slo slo = new Slo(settings.pct("health.slo.trace-pct"), settings.pct("health.slo.energy-pct"));
    Map<String, Slo> overrides = new LinkedHashMap<>();
    overrideValues.forEach(
        (pipeline, fields) ->
            overrides.put(
                pipeline,
                new Slo(
                    fields.containsKey("trace-pct")
                        ? settings.pct(OVERRIDES + pipeline + ".trace-pct")
                        : slo.tracePct(),
                    fields.containsKey("energy-pct")
                        ? settings.pct(OVERRIDES + pipeline + ".energy-pct")
                        : slo.energyPct())));
    boolean enabled = settings.bool("health.enabled");
    HealthConfig h;
    try {
      h =
          new HealthConfig(
              enabled,
              settings.duration("health.window", false),
              settings.duration("health.evaluation-interval", false),
              settings.duration("health.grace", true),
              settings.duration("health.allowed-lateness", true),
              settings.duration("health.max-clock-skew", true),
              settings.duration("health.silence-gap", false),
              slo,
              overrides,
              settings.nonNegativeInt("health.min-runs"),
              settings.string("topics.health-repartition"),
              false,
              null,
              settings.string("health.alerts.source"));
    } catch (IllegalArgumentException e) {
      throw new ConfigError("health", e.getMessage());
    }
    String alertsSetting = settings.get(HealthConfig.ALERTS_ENABLED);
    boolean alertsOn = !alertsSetting.isBlank() && settings.bool(HealthConfig.ALERTS_ENABLED);
    AlertSigning signing = signing();
    boolean alerts =
        enabled && (alertsSetting.isBlank() ? signing != null || requireSigningKey : alertsOn);
    if (alerts && signing == null) {
      throw new ConfigError(
          HealthConfig.SIGNING_KEY,
          "missing: alerts must be signed; set it to a PKCS#8 PEM file "
              + "(kfm keys generate), or set "
              + HealthConfig.ALERTS_ENABLED
              + ": false");
    }
    return alerts ? h.withSigning(signing) : h;
  }

  private AlertSigning signing() {
    String keyPath = settings.get(HealthConfig.SIGNING_KEY);
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
    String pubPath = settings.get(ALERT_PUBLIC_KEY);
    if (!pubPath.isBlank()) {
      PublicKey given = publicKey(ALERT_PUBLIC_KEY, pubPath);
      if (!Ed25519Keys.keyId(given).equals(Ed25519Keys.keyId(derived))) {
        throw new ConfigError(
            ALERT_PUBLIC_KEY, pubPath + " is not the public key of " + HealthConfig.SIGNING_KEY);
      }
    }
    return new AlertSigning(key, Ed25519Keys.keyId(derived));
  }

  private TrustedKeys trustedKeys() {
    Map<String, PublicKey> byId = new LinkedHashMap<>();
    for (String path : settings.get(TRUSTED_KEYS).split(",")) {
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
}
