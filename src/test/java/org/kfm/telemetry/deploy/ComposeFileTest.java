package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.app.KfmCommand;
import org.kfm.telemetry.app.Main;
import org.kfm.telemetry.config.ConfigKeys;
import org.kfm.telemetry.config.ConfigLoader;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.config.ServiceConfig;
import org.kfm.telemetry.config.Topics;
import org.kfm.telemetry.ops.topics.TopicSpec;
import org.kfm.telemetry.ops.topics.TopicsFile;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * docker-compose.yml, without a Docker engine: it conforms to the Compose Specification's JSON
 * Schema (vendored in src/test/resources/compose-spec/), and its services agree with the service's
 * own configuration (deploy/compose/kfm.yaml, read by {@link ConfigLoader}), with topics.yaml and
 * with the image the Dockerfile builds: addresses, ports, health checks, start-up order, volumes,
 * hardening.
 */
class ComposeFileTest {

  static final Path COMPOSE = Path.of("docker-compose.yml");
  static final Path SERVICE_CONFIG = Path.of("deploy/compose/kfm.yaml");
  static final String OUR_IMAGE = "kfm-telemetry-streams:dev";
  static final String KAFKA = "kafka";
  static final String REGISTRY = "schema-registry";
  static final String TOPICS_JOB = "topics";
  static final String KEYS_JOB = "keys";
  static final String SERVICE = "kfm";
  static final String DEMO = "demo";
  static final String JAR = "/opt/kfm/kfm-telemetry-streams.jar";

  private static final Schema COMPOSE_SPEC =
      SchemaRegistry.withDefaultDialect(
              SpecificationVersion.DRAFT_7,
              b ->
                  b.schemaRegistryConfig(
                      SchemaRegistryConfig.builder().locale(Locale.ENGLISH).build()))
          .getSchema(SchemaLocation.of("classpath:compose-spec/compose-spec.json"));

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
    List<String> generate = new ArrayList<>(keysJobJavaArgs().subList(3, keysJobJavaArgs().size()));
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
  void shouldConformToTheComposeSpecification() {
    // Given docker-compose.yml as Compose reads it (YAML, no interpolation needed)
    JsonNode file = compose.tree();

    // When it is validated against the Compose Specification's schema
    List<Error> errors = COMPOSE_SPEC.validate(file);

    // Then there is nothing to report
    assertThat(errors).isEmpty();
  }

  @Test
  void shouldFailSchemaValidationOnAMisspeltKey() {
    // Given the file with depends_on of the service misspelt as depend_on
    ObjectNode broken = compose.tree().deepCopy();
    ObjectNode service = (ObjectNode) broken.path("services").path(SERVICE);
    service.set("depend_on", service.remove("depends_on"));

    // When it is validated
    List<Error> errors = COMPOSE_SPEC.validate(broken);

    // Then the schema rejects the unknown key, naming it
    assertThat(errors).isNotEmpty();
    assertThat(errors.toString()).contains("depend_on");
  }

  @Test
  void shouldFailSchemaValidationOnAnUnknownDependencyCondition() {
    // Given the file with a condition Compose does not know
    ObjectNode broken = compose.tree().deepCopy();
    ((ObjectNode) broken.path("services").path(SERVICE).path("depends_on").path(TOPICS_JOB))
        .put("condition", "service_completed");

    // When it is validated
    List<Error> errors = COMPOSE_SPEC.validate(broken);

    // Then the schema rejects it
    assertThat(errors).isNotEmpty();
    assertThat(errors.toString()).contains("condition");
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
  void shouldStartEachServiceAfterWhatItNeeds() {
    // Then: the registry and the topics job after a healthy broker; the service after the topics
    // exist, the key exists and the registry answers; the demo after the service is ready
    assertThat(compose.dependsOn(REGISTRY)).containsExactly(Map.entry(KAFKA, "service_healthy"));
    assertThat(compose.dependsOn(TOPICS_JOB)).containsExactly(Map.entry(KAFKA, "service_healthy"));
    assertThat(compose.dependsOn(KEYS_JOB)).isEmpty();
    assertThat(compose.dependsOn(SERVICE))
        .containsOnly(
            Map.entry(TOPICS_JOB, "service_completed_successfully"),
            Map.entry(KEYS_JOB, "service_completed_successfully"),
            Map.entry(REGISTRY, "service_healthy"));
    assertThat(compose.dependsOn(DEMO)).containsExactly(Map.entry(SERVICE, "service_healthy"));
  }

  @Test
  void shouldHealthCheckEveryServiceThatOthersWaitFor() {
    // Given every dependency with its condition
    for (String name : compose.serviceNames()) {
      compose
          .dependsOn(name)
          .forEach(
              (dependency, condition) -> {
                // Then a healthy-condition has a health check to wait for, and a
                // completed-condition is a
                // one-shot job
                if (condition.equals("service_healthy")) {
                  assertThat(compose.healthcheck(dependency))
                      .as("health check of %s", dependency)
                      .isNotBlank();
                } else if (condition.equals("service_completed_successfully")) {
                  assertThat(compose.service(dependency).path("restart").asText())
                      .as("restart of %s", dependency)
                      .isEqualTo("no");
                }
              });
    }
    assertThat(List.of(KAFKA, REGISTRY, SERVICE))
        .allSatisfy(s -> assertThat(compose.healthcheck(s)).startsWith("CMD"));
  }

  @Test
  void shouldPinEveryImageToAVersion() {
    // Then every image names a tag, and none is "latest"
    for (String name : compose.serviceNames()) {
      String image = compose.service(name).path("image").asText();
      assertThat(image)
          .as("image of %s", name)
          .matches("[^:]+:[\\w][\\w.-]*")
          .doesNotEndWith(":latest");
    }
  }

  @Test
  void shouldRunTheKafkaVersionTheServiceIsBuiltAndTestedWith() throws IOException {
    // Given the Kafka version of the POM (clients, Streams, and the in-process broker of the tests)
    Matcher m =
        Pattern.compile("<kafka.version>([^<]+)</kafka.version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(m.find()).isTrue();

    // Then the broker image is that release
    assertThat(compose.service(KAFKA).path("image").asText())
        .isEqualTo("apache/kafka:" + m.group(1));
  }

  @Test
  void shouldGiveTheBrokerAValidClusterId() {
    // Given the CLUSTER_ID the apache/kafka image formats its storage with
    String id = compose.environment(KAFKA).get("CLUSTER_ID");

    // Then Kafka accepts it
    assertThatCode(() -> Uuid.fromString(id)).doesNotThrowAnyException();
  }

  @Test
  void shouldBuildOurImageOnceFromTheRepositoryDockerfile() {
    // Then the service builds the image from the repository root, and the jobs use that image
    assertThat(compose.service(SERVICE).path("build").asText()).isEqualTo(".");
    assertThat(compose.service(SERVICE).path("image").asText()).isEqualTo(OUR_IMAGE);
    for (String job : List.of(TOPICS_JOB, KEYS_JOB, DEMO)) {
      assertThat(compose.service(job).path("image").asText())
          .as("image of %s", job)
          .isEqualTo(OUR_IMAGE);
      assertThat(compose.service(job).has("build")).as("%s builds nothing itself", job).isFalse();
    }
  }

  @Test
  void shouldRunOurImageReadOnlyAsNonRootWithoutPrivileges() {
    // Given every service that runs our image
    List<String> ours =
        compose.serviceNames().stream()
            .filter(s -> compose.service(s).path("image").asText().equals(OUR_IMAGE))
            .toList();
    assertThat(ours).containsExactlyInAnyOrder(TOPICS_JOB, KEYS_JOB, SERVICE, DEMO);

    // Then each runs with a read-only root file system, as uid/gid 10001, no capabilities, no
    // privilege escalation, and a /tmp that RocksDB can load its native library from (tmpfs is
    // noexec by default)
    for (String s : ours) {
      JsonNode service = compose.service(s);
      assertThat(service.path("read_only").asBoolean()).as("read_only of %s", s).isTrue();
      assertThat(service.path("user").asText()).as("user of %s", s).isEqualTo("10001:10001");
      assertThat(compose.strings(s, "cap_drop")).as("cap_drop of %s", s).contains("ALL");
      assertThat(compose.strings(s, "security_opt"))
          .as("security_opt of %s", s)
          .contains("no-new-privileges:true");
      assertThat(compose.strings(s, "tmpfs"))
          .as("tmpfs of %s", s)
          .anySatisfy(
              t -> assertThat(t).startsWith("/tmp:").contains("exec").doesNotContain("noexec"));
    }
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

  @Test
  void shouldMountTheServiceConfigWhereTheImageReadsIt() {
    // Given the --config of the image's default command (the service sets no command of its own)
    Dockerfile dockerfile = Dockerfile.read(Path.of("Dockerfile"));
    List<String> cmd = dockerfile.runtime().last("CMD").orElseThrow().execForm();
    assertThat(compose.service(SERVICE).has("command")).isFalse();

    // Then the compose service config is mounted there, read-only
    assertThat(compose.mounts(SERVICE))
        .contains(new ComposeFile.Mount("./" + SERVICE_CONFIG, option(cmd, "--config"), true));
  }

  @Test
  void shouldGiveOurImageOnlyCommandLinesKfmAccepts() {
    // Given the arguments each service passes to kfm (the image's CMD for the service itself)
    Map<String, List<String>> commands = new LinkedHashMap<>();
    commands.put(
        SERVICE,
        Dockerfile.read(Path.of("Dockerfile")).runtime().last("CMD").orElseThrow().execForm());
    commands.put(TOPICS_JOB, compose.command(TOPICS_JOB));
    commands.put(KEYS_JOB, keysJobJavaArgs().subList(3, keysJobJavaArgs().size()));
    commands.put(DEMO, compose.command(DEMO));

    // When kfm's own command line parses them (nothing runs)
    commands.forEach(
        (service, args) -> {
          ParseResult parsed = KfmCommand.commandLine().parseArgs(args.toArray(String[]::new));

          // Then each is a known command with known options
          assertThat(parsed.subcommand()).as("%s: %s", service, args).isNotNull();
          assertThat(parsed.unmatched()).as("%s: %s", service, args).isEmpty();
        });
    assertThat(commands.get(DEMO)).contains("--demo");
  }

  @Test
  void shouldRejectAnUnknownOptionWhenParsingACommandLine() {
    // Given a command line with an option kfm does not have (the check above has teeth)
    String[] args = {
      "topics", "apply", "--bootstrap-server", "kafka:9092", "--replication-factr", "1"
    };

    // When / Then parsing it fails
    assertThatThrownBy(() -> KfmCommand.commandLine().parseArgs(args))
        .isInstanceOf(CommandLine.ParameterException.class);
  }

  @Test
  void shouldRunTheDemoOnlyInTheDemoProfile() {
    // Then the demo job is in the demo profile, and everything else starts with a plain docker
    // compose up
    assertThat(compose.strings(DEMO, "profiles")).containsExactly("demo");
    compose.serviceNames().stream()
        .filter(s -> !s.equals(DEMO))
        .forEach(
            s -> assertThat(compose.service(s).has("profiles")).as("profiles of %s", s).isFalse());
  }

  /** The keys job's script after {@code exec}: {@code java -jar JAR keys generate ...}. */
  private static List<String> keysJobJavaArgs() {
    String script = String.join(" ", compose.command(KEYS_JOB));
    List<String> words =
        List.of(script.substring(script.indexOf("exec ") + "exec ".length()).trim().split("\\s+"));
    assertThat(words.subList(0, 3)).containsExactly("java", "-jar", JAR);
    return words;
  }

  /** The value of {@code --name VALUE} in a command line, or null. */
  static String option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i < 0 || i + 1 >= args.size() ? null : args.get(i + 1);
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
