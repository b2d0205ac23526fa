package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.deploy.HelmChart.FULLNAME;
import static org.kfm.telemetry.deploy.HelmChart.PRODUCTION;
import static org.kfm.telemetry.deploy.HelmChart.YAML;
import static org.kfm.telemetry.deploy.HelmChart.render;
import static org.kfm.telemetry.deploy.HelmChart.values;
import static org.kfm.telemetry.deploy.PodTemplate.env;
import static org.kfm.telemetry.deploy.PodTemplate.mountPaths;
import static org.kfm.telemetry.deploy.PodTemplate.podEnvironment;
import static org.kfm.telemetry.deploy.PodTemplate.secretRef;
import static org.kfm.telemetry.deploy.PodTemplate.volume;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.config.ConfigLoader;
import org.kfm.telemetry.config.ServiceConfig;

/**
 * The configuration the chart renders is one the service accepts as it reads it, and credentials
 * come from Secrets, never from values.
 */
class HelmChartConfigurationTest {

  @Test
  void shouldRenderAConfigurationTheServiceAccepts(@TempDir Path dir) throws Exception {
    // Given: the production rendering, its ConfigMap file and the pod's environment as the kubelet
    // expands it
    Manifests manifests = render(values().file(PRODUCTION));
    Path config = dir.resolve("kfm.yaml");
    Files.writeString(config, manifests.one("ConfigMap", FULLNAME).at("/data/kfm.yaml").asText());
    Map<String, String> env =
        podEnvironment(manifests.one("StatefulSet", FULLNAME), FULLNAME + "-2");
    // the mounted Secrets, here (the key paths point at /etc/kfm/keys in the pod)
    writeKeyPair(dir);
    env.put("KFM_HEALTH_ALERTS_SIGNING_KEY", dir.resolve("alert-signing.key").toString());
    env.put("KFM_HEALTH_ALERTS_PUBLIC_KEY", dir.resolve("alert-signing.pub").toString());
    env.put("KFM_VALIDATOR_TRUSTED_KEYS", dir.resolve("alert-signing.pub").toString());

    // When: the service's own loader reads it as `kfm run` does
    ServiceConfig loaded = ConfigLoader.load(config, env, true);

    // Then
    Properties kafka = loaded.kafkaProperties();
    assertThat(kafka.getProperty("bootstrap.servers"))
        .startsWith("kafka-0.kafka.example.internal:9093,");
    assertThat(kafka.getProperty("security.protocol")).isEqualTo("SASL_SSL");
    assertThat(kafka.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
    assertThat(kafka.getProperty("sasl.jaas.config"))
        .isEqualTo("secret kfm-kafka-client/sasl.jaas.config");
    assertThat(kafka.getProperty("ssl.truststore.location"))
        .isEqualTo("/etc/kfm/tls/kafka/truststore.p12");
    assertThat(kafka.getProperty("ssl.truststore.password"))
        .isEqualTo("secret kfm-kafka-client/truststore.password");
    assertThat(kafka.getProperty("state.dir")).isEqualTo("/var/lib/kfm/state");
    assertThat(kafka.getProperty("num.standby.replicas")).isEqualTo("1");
    assertThat(kafka.getProperty("num.stream.threads")).isEqualTo("2");
    assertThat(kafka.getProperty("application.server"))
        .isEqualTo(FULLNAME + "-2." + FULLNAME + "-headless.telemetry.svc:8080");
    assertThat(kafka.getProperty("group.instance.id")).isEqualTo(FULLNAME + "-2");
    assertThat(kafka.getProperty("producer.compression.type")).isEqualTo("zstd");
    assertThat(loaded.serde())
        .containsEntry("schema.registry.url", "https://schema-registry.example.internal:8081")
        .containsEntry("basic.auth.user.info", "secret kfm-registry/user-info");
    assertThat(loaded.httpPort()).isEqualTo(8080);
    assertThat(loaded.app().health().alertsEnabled()).isTrue();
  }

  @Test
  void shouldRunWithoutAlertsAndWithoutASigningKeyWhenAlertsAreOff(@TempDir Path dir)
      throws IOException {
    // Given
    Manifests manifests =
        render(
            values()
                .set("config.health.alerts.enabled", "false")
                .set("alertSigning.existingSecret", ""));
    Path config =
        Files.writeString(
            dir.resolve("kfm.yaml"),
            manifests.one("ConfigMap", FULLNAME).at("/data/kfm.yaml").asText());

    // When
    ServiceConfig loaded =
        ConfigLoader.load(
            config, podEnvironment(manifests.one("StatefulSet", FULLNAME), FULLNAME + "-0"), true);

    // Then
    assertThat(loaded.app().health().alertsEnabled()).isFalse();
    assertThat(mountPaths(manifests.one("StatefulSet", FULLNAME)))
        .doesNotContainKey("alert-signing");
  }

  @Test
  void shouldRenderTopicsSlosAndWindowsFromValues() throws IOException {
    // When
    JsonNode config =
        YAML.readTree(
            render(
                    values()
                        .set("config.health.window", "12h")
                        .set("config.health.slo.trace-pct", "97.5")
                        .set("config.topics.raw", "kfm.telemetry.raw.v2"))
                .one("ConfigMap", FULLNAME)
                .at("/data/kfm.yaml")
                .asText());

    // Then
    assertThat(config.at("/health/window").asText()).isEqualTo("12h");
    assertThat(config.at("/health/slo/trace-pct").asDouble()).isEqualTo(97.5);
    assertThat(config.at("/health/slo/energy-pct").asDouble()).isEqualTo(90.0);
    assertThat(config.at("/topics/raw").asText()).isEqualTo("kfm.telemetry.raw.v2");
    assertThat(config.at("/health/alerts/signing-key").asText())
        .isEqualTo("/etc/kfm/keys/alert-signing.key");
  }

  @Test
  void shouldReferenceSecretsAndNeverInlineThem() {
    // When
    Manifests manifests = render(values().file(PRODUCTION));
    JsonNode sts = manifests.one("StatefulSet", FULLNAME);
    Map<String, JsonNode> env = env(sts);

    // Then: credentials come from secretKeyRefs ...
    assertThat(secretRef(env, "KFM_KAFKA_SASL_JAAS_CONFIG"))
        .isEqualTo("kfm-kafka-client/sasl.jaas.config");
    assertThat(secretRef(env, "KFM_KAFKA_SSL_TRUSTSTORE_PASSWORD"))
        .isEqualTo("kfm-kafka-client/truststore.password");
    assertThat(secretRef(env, "KFM_SERDE_BASIC_AUTH_USER_INFO"))
        .isEqualTo("kfm-registry/user-info");
    // ... key material from mounted Secrets ...
    assertThat(volume(sts, "alert-signing").at("/secret/secretName").asText())
        .isEqualTo("kfm-alert-signing");
    assertThat(volume(sts, "alert-signing").at("/secret/items"))
        .extracting(i -> i.get("path").asText())
        .containsExactly("alert-signing.key", "alert-signing.pub");
    assertThat(volume(sts, "trusted-keys").at("/secret/secretName").asText())
        .isEqualTo("kfm-trusted-keys");
    assertThat(volume(sts, "kafka-truststore").at("/secret/secretName").asText())
        .isEqualTo("kfm-kafka-client");
    assertThat(mountPaths(sts))
        .containsEntry("alert-signing", "/etc/kfm/keys")
        .containsEntry("trusted-keys", "/etc/kfm/trusted-keys")
        .containsEntry("kafka-truststore", "/etc/kfm/tls/kafka");
    // ... and the chart creates no Secret, nor writes a credential into a ConfigMap
    assertThat(manifests.kinds()).doesNotContain("Secret");
    manifests.all().stream()
        .filter(m -> m.path("kind").asText().equals("ConfigMap"))
        .map(m -> m.path("data").toString())
        .forEach(
            data ->
                assertThat(data)
                    .doesNotContain("jaas.config", "password", "user.info", "PRIVATE KEY"));
  }

  @Test
  void shouldPassTheSameCredentialsToTheTopicsJob() {
    // When
    Manifests manifests = render(values().file(PRODUCTION));

    // Then
    Map<String, JsonNode> jobEnv = env(manifests.one("Job", FULLNAME + "-topics"));
    assertThat(secretRef(jobEnv, "KFM_KAFKA_SASL_JAAS_CONFIG"))
        .isEqualTo("kfm-kafka-client/sasl.jaas.config");
    assertThat(secretRef(jobEnv, "KFM_KAFKA_SSL_TRUSTSTORE_PASSWORD"))
        .isEqualTo("kfm-kafka-client/truststore.password");
    assertThat(mountPaths(manifests.one("Job", FULLNAME + "-topics")))
        .containsEntry("kafka-truststore", "/etc/kfm/tls/kafka")
        .doesNotContainKey("alert-signing");
  }

  @Test
  void shouldPassExtraEnvironmentAndVolumes() {
    // When
    JsonNode sts =
        render(
                values()
                    .set("extraEnv[0].name", "KFM_HEALTH_MIN_RUNS")
                    .set("extraEnv[0].value", "20")
                    .set("extraVolumes[0].name", "plugins")
                    .set("extraVolumes[0].emptyDir.medium", "Memory")
                    .set("extraVolumeMounts[0].name", "plugins")
                    .set("extraVolumeMounts[0].mountPath", "/opt/plugins"))
            .one("StatefulSet", FULLNAME);

    // Then
    assertThat(env(sts).get("KFM_HEALTH_MIN_RUNS").get("value").asText()).isEqualTo("20");
    assertThat(mountPaths(sts)).containsEntry("plugins", "/opt/plugins");
  }

  private static void writeKeyPair(Path dir) throws GeneralSecurityException, IOException {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Files.writeString(
        dir.resolve("alert-signing.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    Files.writeString(
        dir.resolve("alert-signing.pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
