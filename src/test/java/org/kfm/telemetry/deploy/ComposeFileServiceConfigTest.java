package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.deploy.ComposeFile.COMPOSE;
import static org.kfm.telemetry.deploy.ComposeFile.DEMO;
import static org.kfm.telemetry.deploy.ComposeFile.JAR;
import static org.kfm.telemetry.deploy.ComposeFile.KAFKA;
import static org.kfm.telemetry.deploy.ComposeFile.KEYS_JOB;
import static org.kfm.telemetry.deploy.ComposeFile.REGISTRY;
import static org.kfm.telemetry.deploy.ComposeFile.SERVICE;
import static org.kfm.telemetry.deploy.ComposeFile.SERVICE_CONFIG;
import static org.kfm.telemetry.deploy.ComposeFile.TOPICS_JOB;
import static org.kfm.telemetry.deploy.ComposeFile.option;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.app.Main;
import org.kfm.telemetry.config.ConfigKeys;
import org.kfm.telemetry.config.ConfigLoader;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.config.ServiceConfig;
import org.kfm.telemetry.config.Topics;
import org.kfm.telemetry.ops.topics.TopicSpec;
import org.kfm.telemetry.ops.topics.TopicsFile;

/**
 * docker-compose.yml against the service's own configuration (deploy/compose/kfm.yaml, read by
 * {@link ConfigLoader} as {@code kfm run} reads it in the container) and topics.yaml: broker and
 * registry addresses, ports, topics, the state volume and the alert signing key.
 */
class ComposeFileServiceConfigTest {

  static ComposeFile compose;
  static ServiceConfig config;
  static Map<String, String> rawConfig;

  /**
   * Loads the compose service config as {@code kfm run} does in the container (with the service's
   * environment), with a key pair made by the keys job's own command line; {@code rawConfig} holds
   * the key paths as the file writes them.
   */
  @BeforeAll
  static void load(@TempDir Path keysDir) throws IOException {
    compose = ComposeFile.read(COMPOSE);
    JsonNode file = ComposeFile.YAML.readTree(Files.readString(SERVICE_CONFIG));
    rawConfig =
        Map.of(
            HealthConfig.SIGNING_KEY,
            file.at("/health/alerts/signing-key").asText(),
            ConfigKeys.ALERT_PUBLIC_KEY,
            file.at("/health/alerts/public-key").asText(),
            ConfigKeys.TRUSTED_KEYS,
            file.at("/validator/trusted-keys/0").asText());
    List<String> generate =
        new ArrayList<>(compose.keysJobJavaArgs().subList(3, compose.keysJobJavaArgs().size()));
    String inContainer = generate.get(generate.indexOf("--out") + 1);
    generate.set(generate.indexOf("--out") + 1, keysDir.toString());
    assertThat(Main.run(generate.toArray(String[]::new))).as("kfm %s", generate).isZero();
    // The service's own environment (KFM_* overrides, if any), and the key files, which live in the
    // kfm-keys volume in the container and here in a temporary directory.
    Map<String, String> env = new HashMap<>(compose.environment(SERVICE));
    for (String key :
        List.of(HealthConfig.SIGNING_KEY, ConfigKeys.ALERT_PUBLIC_KEY, ConfigKeys.TRUSTED_KEYS)) {
      env.put(
          ConfigLoader.envName(key), rawConfig.get(key).replace(inContainer, keysDir.toString()));
    }
    config = ConfigLoader.load(SERVICE_CONFIG, env, true);
  }

  @Test
  void shouldLoadTheComposeServiceConfigWithTheServicesOwnLoader() {
    // Given deploy/compose/kfm.yaml loaded as kfm run loads it (in @BeforeAll)
    // Then it names the compose services and the image's paths, and keeps alerts on
    assertThat(config.kafka())
        .containsEntry("bootstrap.servers", "kafka:9092")
        .containsEntry("state.dir", "/var/lib/kfm/state");
    assertThat(config.serde()).containsEntry("schema.registry.url", "http://schema-registry:8081");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.app().health().alertsEnabled()).isTrue();
    assertThat(config.app().health().signing()).isNotNull();
    assertThat(rawConfig)
        .containsEntry(HealthConfig.SIGNING_KEY, "/etc/kfm/keys/alert-signing.key")
        .containsEntry(ConfigKeys.ALERT_PUBLIC_KEY, "/etc/kfm/keys/alert-signing.pub");
  }

  @Test
  void shouldConnectEveryClientToTheBrokersInternalListener() {
    // Given the broker's advertised listeners, by listener name
    Map<String, String> env = compose.environment(KAFKA);
    Map<String, URI> advertised = listeners(env.get("KAFKA_ADVERTISED_LISTENERS"));
    URI internal = advertised.get(env.get("KAFKA_INTER_BROKER_LISTENER_NAME"));

    // Then the internal one is the broker's service name, and the service, the registry, the jobs
    // and the broker's own health check all use it
    String bootstrap = internal.getHost() + ":" + internal.getPort();
    assertThat(internal.getHost()).isEqualTo(KAFKA);
    assertThat(config.kafka().get("bootstrap.servers")).isEqualTo(bootstrap);
    assertThat(compose.environment(REGISTRY).get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS"))
        .isEqualTo("PLAINTEXT://" + bootstrap);
    assertThat(option(compose.command(TOPICS_JOB), "--bootstrap-server")).isEqualTo(bootstrap);
    assertThat(option(compose.command(DEMO), "--bootstrap-server")).isEqualTo(bootstrap);
    assertThat(compose.healthcheck(KAFKA)).contains(bootstrap);
    // and the broker listens on that port
    assertThat(
            listeners(env.get("KAFKA_LISTENERS"))
                .get(env.get("KAFKA_INTER_BROKER_LISTENER_NAME"))
                .getPort())
        .isEqualTo(internal.getPort());
  }

  @Test
  void shouldPublishTheBrokersHostListenerOnTheSamePort() {
    // Given the listener advertised to clients on the host (localhost)
    Map<String, URI> advertised =
        listeners(compose.environment(KAFKA).get("KAFKA_ADVERTISED_LISTENERS"));
    URI host =
        advertised.values().stream()
            .filter(u -> u.getHost().equals("localhost"))
            .findFirst()
            .orElseThrow();

    // Then that port is published as it is (a client that bootstraps there is told to come back
    // there)
    assertThat(compose.ports(KAFKA)).contains(new ComposeFile.Port(host.getPort(), host.getPort()));
  }

  @Test
  void shouldConnectTheServiceToTheRegistryService() {
    // Given the registry URL of the service config
    URI url = URI.create(config.serde().get("schema.registry.url"));

    // Then it names the registry service, on the port the registry listens on and is checked on
    assertThat(url.getHost()).isEqualTo(REGISTRY);
    assertThat(compose.serviceNames()).contains(url.getHost());
    URI listener = URI.create(compose.environment(REGISTRY).get("SCHEMA_REGISTRY_LISTENERS"));
    assertThat(listener.getPort()).isEqualTo(url.getPort());
    assertThat(compose.healthcheck(REGISTRY)).contains("localhost:" + url.getPort());
    assertThat(compose.ports(REGISTRY))
        .contains(new ComposeFile.Port(url.getPort(), url.getPort()));
  }

  @Test
  void shouldPublishAndProbeTheHttpPortTheServiceListensOn() {
    // Given the service's HTTP port
    int port = config.httpPort();

    // Then compose publishes it and the health check asks its readiness endpoint there
    assertThat(compose.ports(SERVICE)).contains(new ComposeFile.Port(port, port));
    assertThat(compose.healthcheck(SERVICE))
        .contains("/dev/tcp/127.0.0.1/" + port)
        .contains("GET /readyz");
  }

  @Test
  void shouldUseOnlyTopicsDeclaredInTopicsYaml() {
    // Given the topics the topics job creates (topics.yaml, copied into the image)
    Set<String> declared =
        new TreeSet<>(
            TopicsFile.load(Path.of("topics.yaml")).stream().map(TopicSpec::name).toList());

    // Then every topic of the compose service config is among them, and the demo writes to the raw
    // topic
    Topics t = config.app().topics();
    assertThat(declared)
        .contains(
            t.raw(),
            t.valid(),
            t.dlq(),
            t.health(),
            t.alerts(),
            config.app().health().repartitionTopic());
    assertThat(option(compose.command(DEMO), "--topic"))
        .as("the demo sends to kfm produce's default topic")
        .isNull();
    assertThat(t.raw()).isEqualTo(Topics.DEFAULTS.raw());
    assertThat(option(compose.command(TOPICS_JOB), "--file")).isEqualTo("/opt/kfm/topics.yaml");
    assertThat(option(compose.command(TOPICS_JOB), "--replication-factor")).isEqualTo("1");
  }

  @Test
  void shouldKeepTheStreamsStateOnANamedVolume() {
    // Given the Streams state directory of the service config
    String stateDir = config.kafka().get("state.dir");

    // Then the service mounts a named volume there, writable
    assertThat(compose.mounts(SERVICE))
        .anySatisfy(
            m -> {
              assertThat(m.target()).isEqualTo(stateDir);
              assertThat(m.readOnly()).isFalse();
              assertThat(compose.tree().path("volumes").has(m.source()))
                  .as("named volume %s", m.source())
                  .isTrue();
            });
  }

  @Test
  void shouldSignAlertsWithTheKeyTheKeysJobWritesOnlyOnce() {
    // Given the signing key the service reads, and the keys job's command
    Path key = Path.of(rawConfig.get(HealthConfig.SIGNING_KEY));
    String dir = key.getParent().toString();
    String script = String.join(" ", compose.command(KEYS_JOB));

    // Then the job writes it into that directory, only when it is not there yet
    assertThat(script)
        .startsWith("test -f " + key + " || exec java -jar " + JAR + " keys generate --out " + dir);
    assertThat(compose.strings(KEYS_JOB, "entrypoint")).containsExactly("bash", "-c");
    assertThat(key.getFileName().toString()).isEqualTo("alert-signing.key"); // the default --name
    // and the job and the service mount the same named volume there: the service read-only
    ComposeFile.Mount written =
        compose.mounts(KEYS_JOB).stream()
            .filter(m -> m.target().equals(dir))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the keys job mounts nothing at " + dir));
    assertThat(written.readOnly()).isFalse();
    assertThat(compose.tree().path("volumes").has(written.source())).isTrue();
    assertThat(compose.mounts(SERVICE))
        .contains(new ComposeFile.Mount(written.source(), dir, true));
  }

  /** {@code NAME://host:port,...} by listener name. */
  private static Map<String, URI> listeners(String value) {
    Map<String, URI> out = new LinkedHashMap<>();
    for (String l : value.split(",")) {
      String name = l.substring(0, l.indexOf("://"));
      String address = l.substring(l.indexOf("://") + 3);
      out.put(
          name, URI.create("kafka://" + (address.startsWith(":") ? "0.0.0.0" + address : address)));
    }
    return out;
  }
}
