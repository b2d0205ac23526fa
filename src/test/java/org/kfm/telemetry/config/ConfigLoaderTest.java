package org.kfm.telemetry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.contract.Ed25519Keys;

/** The YAML file, KFM_* overrides from an injected environment, and errors that name the key. */
class ConfigLoaderTest {

  private static final String MINIMAL =
      """
      kafka:
        bootstrap.servers: broker:9092
      serde:
        schema.registry.url: http://registry:8081
      health:
        alerts:
          enabled: false
      """;

  @TempDir Path dir;

  private Path file(String yaml) throws IOException {
    Path f = dir.resolve("kfm.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private ServiceConfig load(String yaml, Map<String, String> env) throws IOException {
    return ConfigLoader.load(file(yaml), env, true);
  }

  private Path keyPair(String name) throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Files.writeString(
        dir.resolve(name + ".key"),
        Ed25519Keys.toPem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    Files.writeString(
        dir.resolve(name + ".pub"), Ed25519Keys.toPem("PUBLIC KEY", pair.getPublic().getEncoded()));
    return dir.resolve(name + ".key");
  }

  @Test
  void shouldApplyTheDefaultsOfAppConfigWhenTheFileSetsOnlyTheConnections() throws IOException {
    ServiceConfig config = load(MINIMAL, Map.of());

    AppConfig defaults = AppConfig.defaults();
    assertThat(config.app().topics()).isEqualTo(defaults.topics());
    assertThat(config.app().dedupRetention()).isEqualTo(defaults.dedupRetention());
    assertThat(config.app().validator().limits()).isEqualTo(defaults.validator().limits());
    assertThat(config.app().validator().maxFutureSkew())
        .isEqualTo(defaults.validator().maxFutureSkew());
    HealthConfig h = config.app().health();
    assertThat(h.withAlertsEnabled(false)).usingRecursiveComparison().isEqualTo(defaults.health());
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.kafka()).containsExactly(Map.entry("bootstrap.servers", "broker:9092"));
    assertThat(config.serde())
        .containsExactly(Map.entry("schema.registry.url", "http://registry:8081"));
  }

  @Test
  void shouldLetKfmEnvironmentVariablesOverrideTheFile() throws IOException {
    ServiceConfig config =
        load(
            MINIMAL
                + """
        http:
          port: 9000
        """,
            Map.of(
                "KFM_HEALTH_SLO_TRACE_PCT", "97",
                "KFM_HEALTH_EVALUATION_INTERVAL", "PT30M",
                "KFM_HEALTH_WINDOW", "90m",
                "KFM_KAFKA_BOOTSTRAP_SERVERS", "a:9092,b:9092",
                "KFM_KAFKA_NUM_STANDBY_REPLICAS", "1",
                "KFM_SERDE_BASIC_AUTH_CREDENTIALS_SOURCE", "USER_INFO",
                "KFM_SERDE_BASIC_AUTH_USER_INFO", "kfm:s3cret",
                "KFM_TOPICS_RAW", "team.raw",
                "KFM_JAVA_OPTS", "-Xmx1g",
                "PATH", "/usr/bin"));

    assertThat(config.app().health().slo().tracePct()).isEqualTo(97.0);
    assertThat(config.app().health().evaluationInterval()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.app().health().window()).isEqualTo(Duration.ofMinutes(90));
    assertThat(config.app().topics().raw()).isEqualTo("team.raw");
    assertThat(config.httpPort()).isEqualTo(9000);
    assertThat(config.kafkaProperties())
        .containsEntry("bootstrap.servers", "a:9092,b:9092")
        .containsEntry("num.standby.replicas", "1");
    assertThat(config.serde()).containsEntry("basic.auth.user.info", "kfm:s3cret");
  }

  @Test
  void shouldReadEverySectionOfTheFile() throws Exception {
    Path signing = keyPair("alert");
    keyPair("trusted");
    ServiceConfig config =
        load(
            """
        kafka: {bootstrap.servers: "broker:9092", state.dir: /tmp/kfm}
        serde: {schema.registry.url: "mock://t"}
        dedup: {retention: 7d}
        validator:
          max-record-bytes: 2048
          max-depth: 8
          max-future-skew: 2h
          geo-max-decimals: 3
          trusted-keys: [%s]
        health:
          grace: 0s
          min-runs: 3
          slo:
            energy-pct: 85
            overrides:
              ci.daily.healthcheck: {trace-pct: 99.5}
              "ingest.*": {energy-pct: 50}
          alerts:
            signing-key: %s
            public-key: %s
        """
                .formatted(dir.resolve("trusted.pub"), signing, dir.resolve("alert.pub")),
            Map.of());

    AppConfig app = config.app();
    assertThat(app.dedupRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(app.validator().limits().maxRecordBytes()).isEqualTo(2048);
    assertThat(app.validator().limits().maxDepth()).isEqualTo(8);
    assertThat(app.validator().maxFutureSkew()).isEqualTo(Duration.ofHours(2));
    assertThat(app.validator().geoMaxDecimals()).isEqualTo(3);
    assertThat(app.validator().trustedKeys().ids())
        .containsExactly(Ed25519Keys.keyId(Ed25519Keys.readPublicKey(dir.resolve("trusted.pub"))));
    assertThat(app.health().grace()).isZero();
    assertThat(app.health().minRuns()).isEqualTo(3);
    assertThat(app.health().overrides())
        .containsEntry("ci.daily.healthcheck", new Slo(99.5, 85.0))
        .containsEntry("ingest.*", new Slo(95.0, 50.0));
    assertThat(app.health().alertsEnabled()).isTrue();
    assertThat(app.health().signing().keyId())
        .isEqualTo(Ed25519Keys.keyId(Ed25519Keys.readPublicKey(dir.resolve("alert.pub"))));
    assertThat(config.kafka()).containsEntry("state.dir", "/tmp/kfm");
  }

  @Test
  void shouldLoadTheShippedExampleFile() throws Exception {
    Path signing = keyPair("alert");
    ServiceConfig config =
        ConfigLoader.load(
            Path.of("config/kfm.example.yaml"),
            Map.of("KFM_HEALTH_ALERTS_SIGNING_KEY", signing.toString()),
            true);

    assertThat(config.app().health().alertsEnabled()).isTrue();
    assertThat(config.describe())
        .contains(
            "health.window = 24h", "kafka.bootstrap.servers = localhost:9092", "http.port = 8080");
  }

  @Test
  void shouldNameTheKeyOfABadDuration() {
    assertThatThrownBy(
            () -> load(MINIMAL.replace("health:\n", "health:\n  window: 1 day\n"), Map.of()))
        .isInstanceOf(ConfigError.class)
        .hasMessage("health.window: \"1 day\" is not a duration (use 24h, 90m or PT1H)");
  }

  @Test
  void shouldNameTheKeyOfEveryOtherMistake() {
    assertThatThrownBy(() -> load(MINIMAL, Map.of("KFM_HEALTH_SLO_TRACE_PCT", "101")))
        .hasMessage("health.slo.trace-pct: \"101\" is not a percentage (0..100)");
    assertThatThrownBy(() -> load(MINIMAL, Map.of("KFM_HEALTH_MIN_RUNS", "ten")))
        .hasMessage("health.min-runs: \"ten\" is not a whole number");
    assertThatThrownBy(() -> load(MINIMAL, Map.of("KFM_DEDUP_RETENTION", "0s")))
        .hasMessage("dedup.retention: \"0s\" must be more than zero");
    assertThatThrownBy(() -> load(MINIMAL + "helth:\n  window: 1h\n", Map.of()))
        .hasMessageStartingWith("helth.window: unknown setting");
    assertThatThrownBy(() -> load(MINIMAL, Map.of("KFM_HELTH_WINDOW", "1h")))
        .hasMessageStartingWith("KFM_HELTH_WINDOW: unknown setting");
    assertThatThrownBy(() -> load("serde: {schema.registry.url: mock://x}\n", Map.of()))
        .hasMessageStartingWith("kafka.bootstrap.servers: missing");
    assertThatThrownBy(() -> load("kafka: {bootstrap.servers: b:9092}\n", Map.of()))
        .hasMessageStartingWith("serde.schema.registry.url: missing");
    assertThatThrownBy(() -> load(MINIMAL, Map.of("KFM_HTTP_PORT", "70000")))
        .hasMessage("http.port: 70000 is not a port (0..65535)");
    assertThatThrownBy(() -> load(MINIMAL, Map.of("KFM_KAFKA_NUM_STREAM_THREADS", "0")))
        .hasMessage(
            "kafka.num.stream.threads: must be at least 1, was 0 (the service's records are"
                + " processed on them)");
    assertThatThrownBy(() -> load(MINIMAL, Map.of("KFM_TOPICS_VALID", "kfm.telemetry.raw")))
        .hasMessage(
            "topics.valid: kfm.telemetry.raw is also topics.raw (each of the service's topics must"
                + " be its own)");
    assertThatThrownBy(
            () -> load(MINIMAL, Map.of("KFM_TOPICS_HEALTH_REPARTITION", "kfm.telemetry.alerts")))
        .hasMessage(
            "topics.health-repartition: kfm.telemetry.alerts is also topics.alerts (each of the"
                + " service's topics must be its own)");
    assertThatThrownBy(
            () ->
                load(
                    MINIMAL,
                    Map.of("KFM_VALIDATOR_TRUSTED_KEYS", dir.resolve("nope.pub").toString())))
        .hasMessage("validator.trusted-keys: " + dir.resolve("nope.pub") + ": no such file");
    assertThatThrownBy(() -> load("kafka: [1, 2]\n", Map.of()))
        .hasMessage("kafka: must be a mapping of properties (name: value)");
    assertThatThrownBy(() -> load("- a\n", Map.of()))
        .hasMessageContaining("must be a YAML mapping");
    assertThatThrownBy(() -> load("a: [\n", Map.of()))
        .hasMessageStartingWith("--config: ")
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yaml"), Map.of(), true))
        .hasMessage("--config: " + dir.resolve("missing.yaml") + ": no such file");
  }

  @Test
  void shouldRequireASigningKeyInRunModeUnlessAlertsAreExplicitlyOff() throws Exception {
    String noAlertsSetting = MINIMAL.replace("health:\n  alerts:\n    enabled: false\n", "");

    assertThatThrownBy(() -> load(noAlertsSetting, Map.of()))
        .isInstanceOf(ConfigError.class)
        .hasMessageStartingWith("health.alerts.signing-key: missing");
    assertThat(
            ConfigLoader.load(file(noAlertsSetting), Map.of(), false)
                .app()
                .health()
                .alertsEnabled())
        .as("dev mode runs without alerts when there is no key")
        .isFalse();
    assertThat(load(MINIMAL, Map.of()).app().health().alertsEnabled()).isFalse();
    keyPair("other");
    assertThatThrownBy(
            () ->
                load(
                    noAlertsSetting,
                    Map.of(
                        "KFM_HEALTH_ALERTS_SIGNING_KEY",
                        keyPair("a").toString(),
                        "KFM_HEALTH_ALERTS_PUBLIC_KEY",
                        dir.resolve("other.pub").toString())))
        .hasMessageStartingWith("health.alerts.public-key: ")
        .hasMessageEndingWith("is not the public key of health.alerts.signing-key");
    assertThatThrownBy(
            () ->
                load(
                    noAlertsSetting,
                    Map.of("KFM_HEALTH_ALERTS_SIGNING_KEY", dir.resolve("other.pub").toString())))
        .hasMessageStartingWith("health.alerts.signing-key: ")
        .hasMessageContaining("no -----BEGIN PRIVATE KEY----- block");
  }

  @Test
  void shouldRefuseAKeyIdSettingWithOneErrorSayingTheKeyIdIsDerivedFromTheSigningKey() {
    // Given: a key id set as if it were a setting, in the file or in the environment
    String keyIdInFile = MINIMAL + "    key-id: kfm-ed25519-0123456789abcdef\n";
    String derived =
        "unknown setting: the alert key id is derived from health.alerts.signing-key "
            + "(kfm-ed25519- + the first 16 hex digits of the SHA-256 of its public key) and cannot be set; remove it";

    // When / Then: loading fails once, naming the key as unknown and where the key id comes from
    assertThatThrownBy(() -> load(keyIdInFile, Map.of()))
        .isInstanceOf(ConfigError.class)
        .hasMessage("health.alerts.key-id: " + derived)
        .satisfies(e -> assertThat(((ConfigError) e).key()).isEqualTo("health.alerts.key-id"));
    assertThatThrownBy(
            () -> load(MINIMAL, Map.of("KFM_HEALTH_ALERTS_KEY_ID", "kfm-ed25519-0123456789abcdef")))
        .isInstanceOf(ConfigError.class)
        .hasMessage("KFM_HEALTH_ALERTS_KEY_ID: " + derived);
  }

  @Test
  void shouldDeriveTheKeyIdFromThePrivateKeyAlone() throws Exception {
    Path key = keyPair("solo");

    assertThat(Ed25519Keys.keyId(Ed25519Keys.publicKeyOf(Ed25519Keys.readPrivateKey(key))))
        .isEqualTo(Ed25519Keys.keyId(Ed25519Keys.readPublicKey(dir.resolve("solo.pub"))));
  }

  @Test
  void shouldNeverShowSecretsInTheEffectiveConfigurationOrInErrors() throws IOException {
    ServiceConfig config =
        load(
            MINIMAL,
            Map.of(
                "KFM_KAFKA_SASL_JAAS_CONFIG",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"kfm\" password=\"hunter2\";",
                "KFM_KAFKA_SSL_TRUSTSTORE_PASSWORD", "hunter3",
                "KFM_SERDE_SCHEMA_REGISTRY_URL", "https://kfm:hunter4@registry:8081",
                "KFM_SERDE_BASIC_AUTH_CREDENTIALS_SOURCE", "USER_INFO",
                "KFM_SERDE_BASIC_AUTH_USER_INFO", "kfm:hunter5"));

    String described = String.join("\n", config.describe());
    assertThat(described)
        .doesNotContain("hunter")
        .contains(
            "kafka.sasl.jaas.config = [hidden]",
            "kafka.ssl.truststore.password = [hidden]",
            "serde.basic.auth.user.info = [hidden]",
            "serde.schema.registry.url = https://[hidden]@registry:8081",
            "serde.basic.auth.credentials.source = USER_INFO");
    assertThatThrownBy(
            () ->
                load(
                    MINIMAL,
                    Map.of("KFM_SERDE_SCHEMA_REGISTRY_URL", "https://kfm:hunter6@reg istry")))
        .satisfies(e -> assertThat(e.getMessage()).startsWith("serde: ").doesNotContain("hunter6"));
    assertThat(Secrets.mask("kafka.ssl.keystore.key", "-----BEGIN PRIVATE KEY-----"))
        .isEqualTo("[hidden]");
    assertThat(Secrets.mask("kafka.sasl.jaas.config", "x")).isEqualTo("[hidden]");
  }
}
