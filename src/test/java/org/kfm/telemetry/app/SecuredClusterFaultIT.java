package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.testing.CommittedReader;
import org.kfm.telemetry.testing.FakeSchemaRegistry;
import org.kfm.telemetry.testing.FaultFigures;
import org.kfm.telemetry.testing.OutputLedger;
import org.kfm.telemetry.testing.Ports;
import org.kfm.telemetry.testing.SecuredKafka;
import org.kfm.telemetry.testing.ServiceProcess;
import org.kfm.telemetry.validation.ContractCatalogue;

/**
 * A secured cluster, as production runs one: a broker with a {@code SASL_SSL} listener ({@code
 * SCRAM-SHA-512} over TLS, its certificate signed by a test CA the clients trust through a PKCS12
 * trust store) and {@code StandardAuthorizer} with no access unless an ACL allows it, and an HTTPS
 * schema registry with Basic auth. Proven with the real commands, each in a JVM of its own:
 *
 * <ul>
 *   <li>{@code kfm topics apply} as an admin ({@code --command-config}), {@code kfm produce} as a
 *       producer allowed only to write the raw topic, and {@code kfm run} as the service's
 *       principal with exactly the ACLs docs/deploy.md tells operators to grant (read from the
 *       page, so the page and the test cannot drift): every record comes out once, on the valid
 *       topic or the DLQ;
 *   <li>the same with the configuration the Helm chart renders for SASL_SSL and an HTTPS registry,
 *       with its secrets in the pod's environment as the chart's secretKeyRefs give them;
 *   <li>a wrong Kafka password ({@code kfm topics}, {@code kfm run}), missing ACLs (the group's
 *       READ and the DLQ's WRITE) and a wrong registry password each stop the command with status 2
 *       and one line of kfm's saying whose credentials or which operations on which resources were
 *       refused, no stack trace, and no password in anything it printed ({@code kfm run} leaves the
 *       Kafka client's own log as it is: its failed login is there too, in at most two lines).
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredClusterFaultIT {

  private static final String ADMIN = "kfm-admin";
  private static final String PRODUCER = "kfm-producer";

  /** The service's principal as docs/deploy.md's ACLs name it ({@code User:kfm}). */
  private static final String SERVICE = "kfm";

  private static final String ADMIN_PASSWORD = "admin-pw-" + random();
  private static final String PRODUCER_PASSWORD = "producer-pw-" + random();
  private static final String SERVICE_PASSWORD = "service-pw-" + random();
  private static final String REGISTRY_USER = "kfm-registry-user";
  private static final String REGISTRY_PASSWORD = "registry-pw-" + random();
  private static final String WRONG_PASSWORD = "wrong-pw-" + random();

  @RegisterExtension
  static final SecuredKafka KAFKA =
      new SecuredKafka(
          Map.of(ADMIN, ADMIN_PASSWORD, PRODUCER, PRODUCER_PASSWORD, SERVICE, SERVICE_PASSWORD),
          List.of(ADMIN));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(90);

  /** One record in this many is invalid (a bad ts) and must be dead-lettered. */
  private static final int INVALID_EVERY = 10;

  private static final Pattern ACL_COMMAND =
      Pattern.compile("^\\s*kafka-acls\\.sh (.*)$", Pattern.MULTILINE);

  @TempDir static Path dir;

  private static FakeSchemaRegistry registry;
  private static List<AclBinding> documentedAcls;
  private static Path adminProperties;

  private final List<ServiceProcess> processes = new ArrayList<>();

  @BeforeAll
  static void secureTheClusterAndApplyTheTopics() throws Exception {
    registry = FakeSchemaRegistry.startTls(KAFKA.serverTls());
    registry.requireBasicAuth(REGISTRY_USER, REGISTRY_PASSWORD);
    documentedAcls = documentedAcls(Path.of("docs", "deploy.md"));
    KAFKA.allow(documentedAcls);
    KAFKA.allow(
        List.of(allow(PRODUCER, ResourceType.TOPIC, "kfm.telemetry.raw", AclOperation.WRITE)));
    adminProperties = properties("admin.properties", ADMIN, ADMIN_PASSWORD);

    // kfm topics apply as the admin, over SASL_SSL
    ServiceProcess topics =
        ServiceProcess.start(
            dir,
            "topics-apply",
            List.of(
                "topics",
                "apply",
                "--bootstrap-server",
                KAFKA.bootstrapServers(),
                "--command-config",
                adminProperties.toString(),
                "--replication-factor",
                "1",
                "--file",
                TopicsFiles.withPartitions(dir, 1).toString()));
    assertThat(topics.awaitExit(COMMAND_DEADLINE)).as(topics.failure()).isZero();
    assertNoSecretIn(topics.log(), "kfm topics apply");
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @AfterEach
  void killLeftoversAndKeepTheirLogs() throws IOException {
    processes.forEach(ServiceProcess::close);
    Path logs =
        Files.createDirectories(FaultFigures.FILE.getParent().resolve("secured-cluster-logs"));
    for (ServiceProcess process : processes) {
      Files.writeString(logs.resolve(process.name() + ".log"), process.log());
    }
  }

  @Test
  @Order(1)
  void shouldProcessEveryRecordOnceAsTheServicePrincipalWithOnlyTheDocumentedAcls()
      throws Exception {
    // Given the service's configuration: SASL_SSL with SCRAM-SHA-512, the test CA's trust store,
    // and the HTTPS registry with Basic auth
    Path config = serviceConfig("kfm.yaml", SERVICE_PASSWORD, REGISTRY_PASSWORD);
    List<String> keys = produce("first", 300);
    Instant started = Instant.now();

    // When it runs as User:kfm, with the documented ACLs and nothing more
    ServiceProcess service = start(ServiceProcess.run(dir, "service", config));

    // Then every record comes out once: the valid ones on the valid topic, the invalid ones on the
    // DLQ; nothing it printed holds a password; the registry saw its credentials
    Outcome outcome = awaitEveryKeyOnce(keys, service);
    assertThat(service.stop())
        .as("exit status after SIGTERM; %s", service.failure())
        .isEqualTo(143);
    assertThat(service.log()).as(service.failure()).contains("stopped cleanly");
    assertNoSecretIn(service.log(), "kfm run");
    assertThat(registry.requests())
        .as("registry requests")
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.authorization()).startsWith("Basic "));
    new FaultFigures(
            "secured cluster: SASL_SSL SCRAM-SHA-512 + TLS (test CA), ACLs of docs/deploy.md only,"
                + " HTTPS registry with Basic auth (kfm topics apply, kfm produce, kfm run)",
            keys.size(),
            outcome.valid(),
            outcome.dlq(),
            -1,
            outcome.lost(),
            outcome.doubled(),
            null,
            "all records out within "
                + Duration.between(started, outcome.at()).toSeconds()
                + " s of the start (JVM start included); no secret in any output")
        .write();
  }

  @Test
  @Order(2)
  void shouldProcessEveryRecordOnceWithTheHelmChartsConfigurationAndSecrets() throws Exception {
    // Given the chart rendered for SASL_SSL, SCRAM-SHA-512, the Kafka and registry trust stores and
    // the registry's Basic auth, every secret from a Kubernetes Secret
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put(
        "kfm-kafka-client/sasl.jaas.config", SecuredKafka.jaasConfig(SERVICE, SERVICE_PASSWORD));
    secrets.put("kfm-kafka-client/password", KAFKA.truststorePassword());
    secrets.put("kfm-registry/user-info", REGISTRY_USER + ":" + REGISTRY_PASSWORD);
    secrets.put("kfm-registry/password", KAFKA.truststorePassword());
    int httpPort = Ports.unused();
    Map<String, JsonNode> manifests =
        renderChart(
            Map.ofEntries(
                Map.entry("kafka.bootstrapServers", KAFKA.bootstrapServers()),
                Map.entry("kafka.securityProtocol", "SASL_SSL"),
                Map.entry("kafka.sasl.mechanism", SecuredKafka.MECHANISM),
                Map.entry("kafka.sasl.jaasConfigSecret.name", "kfm-kafka-client"),
                Map.entry("kafka.tls.truststoreSecret.name", "kfm-kafka-client"),
                Map.entry("kafka.tls.truststorePasswordSecret.name", "kfm-kafka-client"),
                Map.entry("kafka.standbyReplicas", "0"),
                Map.entry("schemaRegistry.url", registry.url()),
                Map.entry("schemaRegistry.basicAuthSecret.name", "kfm-registry"),
                Map.entry("schemaRegistry.tls.truststoreSecret.name", "kfm-registry"),
                Map.entry("schemaRegistry.tls.truststorePasswordSecret.name", "kfm-registry"),
                Map.entry("replicaCount", "1"),
                Map.entry("httpPort", Integer.toString(httpPort))));
    // ... its ConfigMap's kfm.yaml with the pod's mounts under a directory of the test (the
    // Secrets'
    // files: trust stores, the alert-signing key pair) ...
    Path pod = Files.createDirectories(dir.resolve("pod"));
    String rendered = manifests.get("ConfigMap").at("/data/kfm.yaml").asText();
    assertThat(rendered)
        .as("rendered kfm.yaml")
        .doesNotContain(SERVICE_PASSWORD, REGISTRY_PASSWORD);
    Path config =
        Files.writeString(
            pod.resolve("kfm.yaml"),
            rendered
                .replace("/etc/kfm/", pod.resolve("etc/kfm") + "/")
                .replace("/var/lib/kfm/state", pod.resolve("state").toString()));
    mount(KAFKA.truststore(), pod.resolve("etc/kfm/tls/kafka/truststore.p12"));
    mount(KAFKA.truststore(), pod.resolve("etc/kfm/tls/registry/truststore.p12"));
    Files.createDirectories(pod.resolve("etc/kfm/keys"));
    assertThat(new Cli().run("keys", "generate", "--out", pod.resolve("etc/kfm/keys").toString()))
        .as("kfm keys generate")
        .isZero();
    // ... and the StatefulSet's environment as the kubelet gives it
    Map<String, String> env =
        podEnvironment(manifests.get("StatefulSet"), "kfm-kfm-telemetry-streams-0", secrets);
    assertThat(env)
        .as("the pod's environment")
        .containsKeys(
            "KFM_KAFKA_SASL_JAAS_CONFIG",
            "KFM_KAFKA_SSL_TRUSTSTORE_PASSWORD",
            "KFM_SERDE_BASIC_AUTH_USER_INFO",
            "KFM_SERDE_SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD");
    List<String> keys = produce("chart", 100);
    Instant started = Instant.now();

    // When the container's command runs with them
    ServiceProcess service =
        start(
            ServiceProcess.start(
                dir, "service-chart", List.of("run", "--config", config.toString()), env));

    // Then every record comes out once, and nothing it printed holds a password
    Outcome outcome = awaitEveryKeyOnce(keys, service);
    assertThat(service.stop())
        .as("exit status after SIGTERM; %s", service.failure())
        .isEqualTo(143);
    assertNoSecretIn(service.log(), "kfm run with the chart's configuration");
    new FaultFigures(
            "secured cluster, the Helm chart's rendered kfm.yaml + Secret-backed KFM_* env"
                + " (SASL_SSL SCRAM-SHA-512, HTTPS registry with Basic auth)",
            keys.size(),
            outcome.valid(),
            outcome.dlq(),
            -1,
            outcome.lost(),
            outcome.doubled(),
            null,
            "all records out within "
                + Duration.between(started, outcome.at()).toSeconds()
                + " s of the start; no secret in any output")
        .write();
  }

  @Test
  @Order(3)
  void shouldSayInOneLineThatTheBrokerRefusedAWrongPassword() throws Exception {
    // Given the service's configuration with a wrong password
    Path config = serviceConfig("kfm-wrong-password.yaml", WRONG_PASSWORD, REGISTRY_PASSWORD);

    // When kfm topics and kfm run use it
    ServiceProcess topics =
        start(
            ServiceProcess.start(
                dir,
                "topics-wrong-password",
                List.of(
                    "topics",
                    "diff",
                    "--config",
                    config.toString(),
                    "--file",
                    dir.resolve("topics.yaml").toString())));
    int topicsStatus = topics.awaitExit(COMMAND_DEADLINE);
    ServiceProcess service = start(ServiceProcess.run(dir, "service-wrong-password", config));
    int serviceStatus = service.awaitExit(COMMAND_DEADLINE);

    // Then both exit 2 (a configuration error), saying in one line that Kafka refused the
    // credentials of SCRAM-SHA-512 user kfm, with no stack trace and no password
    assertThat(topicsStatus).as(topics.failure()).isEqualTo(2);
    assertThat(serviceStatus).as(service.failure()).isEqualTo(2);
    assertOneClearLine(topics, "authentication failed", "(as SCRAM-SHA-512 user kfm)");
    String refused = "refused the credentials of scram-sha-512 user kfm";
    assertOneClearLine(service, refused, "Authentication failed");
    // (kfm run does not silence the Kafka client's own log, its operators' diagnostics: the check's
    // admin client logs its failed login itself, an ERROR line and at times a WARN with the
    // exception's name, no stack frames)
    long kafkaLines =
        service
            .log()
            .lines()
            .filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("authentication"))
            .filter(l -> !l.startsWith("kfm: "))
            .count();
    assertThat(kafkaLines)
        .as("the Kafka client's own lines about it; %s", service.failure())
        .isLessThanOrEqualTo(2);
    new FaultFigures(
            "secured cluster: wrong Kafka password",
            0,
            0,
            0,
            -1,
            0,
            0,
            null,
            "kfm topics diff exit "
                + topicsStatus
                + ": "
                + quote(line(topics, "authentication failed"))
                + "; kfm run exit "
                + serviceStatus
                + ": "
                + quote(line(service, refused))
                + " (and "
                + kafkaLines
                + " line(s) of the Kafka client's own log about it)")
        .write();
  }

  @Test
  @Order(4)
  void shouldNameTheMissingAclsInOneLine() throws Exception {
    // Given the service's group READ and its WRITE on the DLQ revoked
    List<AclBinding> revoked =
        List.of(
            allow(SERVICE, ResourceType.GROUP, "kfm-telemetry-streams", AclOperation.READ),
            allow(SERVICE, ResourceType.TOPIC, "kfm.telemetry.dlq", AclOperation.WRITE));
    assertThat(documentedAcls).as("the documented ACLs").containsAll(revoked);
    KAFKA.revoke(revoked);
    try {
      // When the service starts
      ServiceProcess service =
          start(
              ServiceProcess.run(
                  dir,
                  "service-missing-acls",
                  serviceConfig("kfm-missing-acls.yaml", SERVICE_PASSWORD, REGISTRY_PASSWORD)));
      int status = service.awaitExit(COMMAND_DEADLINE);

      // Then it exits 2 at start, naming each missing operation and its resource, in one line and
      // without its password
      assertThat(status).as(service.failure()).isEqualTo(2);
      String refused = "does not allow scram-sha-512 user kfm";
      assertOneClearLine(service, refused, "WRITE on topic kfm.telemetry.dlq");
      assertThat(line(service, refused)).contains("READ on group kfm-telemetry-streams");
      new FaultFigures(
              "secured cluster: the service's group READ and DLQ WRITE ACLs missing",
              0,
              0,
              0,
              -1,
              0,
              0,
              null,
              "kfm run exit " + status + ": " + quote(line(service, refused)))
          .write();
    } finally {
      KAFKA.allow(revoked);
    }
  }

  @Test
  @Order(5)
  void shouldSayInOneLineThatTheRegistryRefusedAWrongPassword() throws Exception {
    // Given the service's configuration with a wrong registry password
    Path config = serviceConfig("kfm-wrong-registry.yaml", SERVICE_PASSWORD, WRONG_PASSWORD);

    // When the service runs
    ServiceProcess service = start(ServiceProcess.run(dir, "service-wrong-registry", config));
    int status = service.awaitExit(COMMAND_DEADLINE);

    // Then it exits 2 at start, saying in one line that the registry refused the user's credentials
    assertThat(status).as(service.failure()).isEqualTo(2);
    String refused = "refused the credentials of user " + REGISTRY_USER;
    assertOneClearLine(service, refused, "401");
    new FaultFigures(
            "secured cluster: wrong schema registry password",
            0,
            0,
            0,
            -1,
            0,
            0,
            null,
            "kfm run exit " + status + ": " + quote(line(service, refused)))
        .write();
  }

  // --- the service and its inputs -------------------------------------------------------------

  private ServiceProcess start(ServiceProcess process) {
    processes.add(process);
    return process;
  }

  /** The service's YAML configuration for the secured cluster and registry. */
  private static Path serviceConfig(String name, String kafkaPassword, String registryPassword)
      throws IOException {
    return Files.writeString(
        dir.resolve(name),
        """
        kafka:
          bootstrap.servers: %s
          security.protocol: SASL_SSL
          sasl.mechanism: %s
          sasl.jaas.config: '%s'
          ssl.truststore.location: %s
          ssl.truststore.password: %s
          ssl.truststore.type: PKCS12
          state.dir: %s
          commit.interval.ms: 100
          session.timeout.ms: 6000
        serde:
          schema.registry.url: %s
          schema.registry.ssl.truststore.location: %s
          schema.registry.ssl.truststore.password: %s
          schema.registry.ssl.truststore.type: PKCS12
          basic.auth.credentials.source: USER_INFO
          basic.auth.user.info: %s
        health:
          alerts:
            enabled: false
        http:
          port: %d
        """
            .formatted(
                KAFKA.bootstrapServers(),
                SecuredKafka.MECHANISM,
                SecuredKafka.jaasConfig(SERVICE, kafkaPassword),
                KAFKA.truststore(),
                KAFKA.truststorePassword(),
                dir.resolve("state-" + name),
                registry.url(),
                KAFKA.truststore(),
                KAFKA.truststorePassword(),
                REGISTRY_USER + ":" + registryPassword,
                Ports.unused()));
  }

  /**
   * {@code kfm produce} of {@code count} records with keys of their own ({@code run} in them), one
   * in {@value #INVALID_EVERY} invalid, as the producer principal: their keys.
   */
  private List<String> produce(String run, int count) throws Exception {
    ObjectNode template =
        (ObjectNode) JSON.readTree(ContractCatalogue.seed("pipeline-run-completed"));
    List<String> keys = new ArrayList<>();
    StringBuilder ndjson = new StringBuilder();
    String prefix =
        (run.toUpperCase(java.util.Locale.ROOT) + "XXXXXX")
            .substring(0, 6)
            .replaceAll("[ILOU]", "X");
    for (int i = 0; i < count; i++) {
      String runId = "01J0M7Q8J7Y7" + prefix + String.format("%08d", i);
      ObjectNode event = template.deepCopy();
      ((ObjectNode) event.get("run")).put("run_id", runId);
      event.put("ts", i % INVALID_EVERY == 0 ? "yesterday" : Instant.now().toString());
      ndjson.append(JSON.writeValueAsString(event)).append('\n');
      keys.add(runId);
    }
    Path file = Files.writeString(dir.resolve("records-" + run + ".ndjson"), ndjson);
    Path producer = properties("producer.properties", PRODUCER, PRODUCER_PASSWORD);
    ServiceProcess produce =
        start(
            ServiceProcess.start(
                dir,
                "produce-" + run,
                List.of(
                    "produce",
                    "--bootstrap-server",
                    KAFKA.bootstrapServers(),
                    "--command-config",
                    producer.toString(),
                    file.toString())));
    assertThat(produce.awaitExit(COMMAND_DEADLINE)).as(produce.failure()).isZero();
    assertThat(produce.log()).as(produce.failure()).contains(count + " records from");
    assertNoSecretIn(produce.log(), "kfm produce");
    return keys;
  }

  /** What came out for {@code keys}, read back as the admin. */
  private record Outcome(long valid, long dlq, long lost, long doubled, Instant at) {}

  private static Outcome awaitEveryKeyOnce(List<String> keys, ServiceProcess service) {
    try (OutputLedger ledger =
        new OutputLedger(
            CommittedReader.fromBeginning(
                KAFKA.clientSettings(ADMIN, ADMIN_PASSWORD),
                OutputLedger.TOPICS,
                DEADLINE,
                Duration.ofMillis(200)))) {
      ledger.pollUntil(
          () -> ledger.missing(keys).isEmpty(),
          service::assertAlive,
          () ->
              ledger.missing(keys).size()
                  + " of "
                  + keys.size()
                  + " missing; "
                  + service.failure());
      Instant at = Instant.now();
      ledger.drainToEnd(service::assertAlive, service::failure);
      long valid =
          keys.stream().filter(k -> "kfm.telemetry.valid".equals(ledger.byKey().get(k))).count();
      long dlq =
          keys.stream().filter(k -> "kfm.telemetry.dlq".equals(ledger.byKey().get(k))).count();
      long doubled = ledger.repeats().stream().filter(keys::contains).distinct().count();
      assertThat(ledger.missing(keys)).as("keys lost; %s", service.failure()).isEmpty();
      assertThat(doubled).as("keys doubled: %s", ledger.repeats()).isZero();
      assertThat(dlq)
          .as("dead-lettered")
          .isEqualTo((keys.size() + INVALID_EVERY - 1) / INVALID_EVERY);
      assertThat(valid + dlq).isEqualTo(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        assertThat(ledger.byKey().get(keys.get(i)))
            .as("topic of %s", keys.get(i))
            .isEqualTo(i % INVALID_EVERY == 0 ? "kfm.telemetry.dlq" : "kfm.telemetry.valid");
      }
      return new Outcome(valid, dlq, ledger.missing(keys).size(), doubled, at);
    }
  }

  /** A client properties file (as for --command-config) of {@code user}. */
  private static Path properties(String name, String user, String password) throws IOException {
    Properties props = new Properties();
    KAFKA.clientSettings(user, password).forEach((k, v) -> props.setProperty(k, v.toString()));
    props.remove("bootstrap.servers");
    Path file = dir.resolve(name);
    try (var out = Files.newBufferedWriter(file)) {
      props.store(out, null);
    }
    return file;
  }

  // --- what the commands print ------------------------------------------------------------------

  private static void assertNoSecretIn(String output, String what) {
    assertThat(output)
        .as("%s's output holds no password: %s", what, output)
        .doesNotContain(
            ADMIN_PASSWORD,
            PRODUCER_PASSWORD,
            SERVICE_PASSWORD,
            REGISTRY_PASSWORD,
            WRONG_PASSWORD,
            KAFKA.truststorePassword());
  }

  /**
   * The command's output says what was refused ({@code refused}, naming {@code subject}) in exactly
   * one line, with no stack trace and no password.
   */
  private static void assertOneClearLine(ServiceProcess process, String refused, String subject) {
    String log = process.log();
    assertNoSecretIn(log, process.name());
    List<String> lines =
        log.lines()
            .filter(
                l ->
                    l.toLowerCase(java.util.Locale.ROOT)
                        .contains(refused.toLowerCase(java.util.Locale.ROOT)))
            .toList();
    assertThat(lines).as("lines saying %s; %s", refused, process.failure()).hasSize(1);
    assertThat(lines.get(0)).as("the line saying %s", refused).contains(subject);
    assertThat(log.lines().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by:")))
        .as("stack trace lines; %s", process.failure())
        .isEmpty();
  }

  private static String line(ServiceProcess process, String refused) {
    return process
        .log()
        .lines()
        .filter(
            l ->
                l.toLowerCase(java.util.Locale.ROOT)
                    .contains(refused.toLowerCase(java.util.Locale.ROOT)))
        .findFirst()
        .orElse("(none)");
  }

  private static String quote(String line) {
    // the log's time stamp and thread are not part of the message
    return "`" + line.replaceFirst("^\\S+ \\[[^]]*\\] ", "").replace("|", "\\|") + "`";
  }

  // --- the Helm chart ---------------------------------------------------------------------------

  /** {@code helm template kfm -n telemetry} of the chart with {@code sets}: kind → manifest. */
  private static Map<String, JsonNode> renderChart(Map<String, String> sets) throws IOException {
    var command =
        new Helm(Path.of("helm", "kfm-telemetry-streams"))
            .template()
            .withName("kfm")
            .withNamespace("telemetry")
            .withKubeVersion("v1.31.0");
    for (Map.Entry<String, String> set : sets.entrySet()) {
      command = command.set(set.getKey(), set.getValue());
    }
    Map<String, JsonNode> byKind = new LinkedHashMap<>();
    try (var parser = YAML.getFactory().createParser(command.call())) {
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (doc != null
            && doc.has("kind")
            && "kfm-kfm-telemetry-streams".equals(doc.at("/metadata/name").asText())) {
          byKind.put(doc.get("kind").asText(), doc);
        }
      }
    }
    assertThat(byKind).as("rendered manifests").containsKeys("ConfigMap", "StatefulSet");
    return byKind;
  }

  /**
   * The service container's environment as the kubelet makes it: values with {@code $(VAR)}
   * expanded, the pod's name and namespace, and {@code secretKeyRef}s from {@code secrets} ({@code
   * name/key} → value).
   */
  private static Map<String, String> podEnvironment(
      JsonNode statefulSet, String podName, Map<String, String> secrets) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode var : statefulSet.at("/spec/template/spec/containers/0/env")) {
      String name = var.get("name").asText();
      if (var.has("value")) {
        String value = var.get("value").asText();
        Matcher m = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(value);
        value =
            m.replaceAll(r -> Matcher.quoteReplacement(env.getOrDefault(r.group(1), r.group())));
        env.put(name, value);
      } else if (var.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.name")) {
        env.put(name, podName);
      } else if (var.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.namespace")) {
        env.put(name, "telemetry");
      } else if (var.at("/valueFrom/secretKeyRef").isObject()) {
        String ref =
            var.at("/valueFrom/secretKeyRef/name").asText()
                + "/"
                + var.at("/valueFrom/secretKeyRef/key").asText();
        assertThat(secrets).as("the Secrets the pod refers to").containsKey(ref);
        env.put(name, secrets.get(ref));
      } else {
        throw new AssertionError("an environment variable the test cannot give: " + var);
      }
    }
    return env;
  }

  private static void mount(Path file, Path at) throws IOException {
    Files.createDirectories(at.getParent());
    Files.copy(file, at, StandardCopyOption.REPLACE_EXISTING);
  }

  // --- ACLs -------------------------------------------------------------------------------------

  /**
   * The ACLs of the {@code kafka-acls.sh --add} commands of {@code page} (continuation lines
   * joined): --allow-principal, each --operation on each --topic / --group / --transactional-id /
   * --cluster, with --resource-pattern-type.
   */
  static List<AclBinding> documentedAcls(Path page) throws IOException {
    String text = Files.readString(page).replaceAll("\\\\\\n\\s*", " ");
    List<AclBinding> acls = new ArrayList<>();
    Matcher m = ACL_COMMAND.matcher(text);
    while (m.find()) {
      String[] args = m.group(1).trim().split("\\s+");
      String principal = null;
      PatternType patternType = PatternType.LITERAL;
      List<AclOperation> operations = new ArrayList<>();
      List<ResourcePattern> resources = new ArrayList<>();
      List<String[]> named = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--add" -> {}
          case "--bootstrap-server", "--command-config" -> i++;
          case "--allow-principal" -> principal = args[++i];
          case "--operation" ->
              operations.add(AclOperation.fromString(args[++i].toUpperCase(java.util.Locale.ROOT)));
          case "--resource-pattern-type" -> {
            patternType = PatternType.fromString(args[++i].toUpperCase(java.util.Locale.ROOT));
            assertThat(patternType)
                .as("--resource-pattern-type of: %s", m.group())
                .isNotEqualTo(PatternType.UNKNOWN);
          }
          case "--topic" -> named.add(new String[] {"TOPIC", args[++i]});
          case "--group" -> named.add(new String[] {"GROUP", args[++i]});
          case "--transactional-id" -> named.add(new String[] {"TRANSACTIONAL_ID", args[++i]});
          case "--cluster" -> named.add(new String[] {"CLUSTER", "kafka-cluster"});
          default ->
              throw new AssertionError("kafka-acls.sh option the test does not know: " + args[i]);
        }
      }
      for (String[] n : named) {
        resources.add(new ResourcePattern(ResourceType.valueOf(n[0]), n[1], patternType));
      }
      assertThat(principal).as("--allow-principal of: %s", m.group()).isNotNull();
      assertThat(operations)
          .as("--operation of: %s", m.group())
          .isNotEmpty()
          .doesNotContain(AclOperation.UNKNOWN);
      for (ResourcePattern resource : resources) {
        for (AclOperation operation : operations) {
          acls.add(
              new AclBinding(
                  resource,
                  new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
      }
    }
    assertThat(acls).as("ACLs in %s", page).isNotEmpty();
    return acls;
  }

  private static AclBinding allow(
      String user, ResourceType type, String name, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(type, name, PatternType.LITERAL),
        new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
  }

  private static String random() {
    return java.util.UUID.randomUUID().toString().substring(0, 8);
  }
}
