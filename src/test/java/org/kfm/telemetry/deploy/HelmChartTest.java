package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.config.ConfigLoader;
import org.kfm.telemetry.config.ServiceConfig;

/**
 * The Helm chart {@code helm/kfm-telemetry-streams}, rendered by Helm itself (helm-java's native Helm):
 * it lints strictly, renders with the default and the production values into manifests that the
 * Kubernetes API types accept field for field, configures the service as the service reads its
 * configuration, and its schema turns bad values away at install time.
 */
class HelmChartTest {

  static final Path CHART = Path.of("helm", "kfm-telemetry-streams");
  static final Path PRODUCTION = CHART.resolve("examples/values-production.yaml");
  static final String RELEASE = "kfm";
  /** A supported cluster version (helm template's default, v1.20, is older than the chart's kubeVersion). */
  static final String KUBE_VERSION = "v1.31.0";
  static final String NAMESPACE = "telemetry";
  static final String FULLNAME = "kfm-kfm-telemetry-streams";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();
  /**
   * helm-java's {@code template} returns the release manifest only, without hooks (the topics Job and its
   * ConfigMap). The tests render a copy of the chart whose hook annotations are disguised, so that Helm
   * renders the hooks as ordinary objects, and turn the annotations back in the output.
   */
  static final String HOOK = "helm.sh/hook";
  static final String DISGUISED_HOOK = "kfm-test.invalid/hook";
  @TempDir
  static Path work;
  static Path renderable;
  /** The values an installation needs at least (the Kafka cluster and the registry); later values files win. */
  static Path minimumValues;

  @BeforeAll
  static void copyTheChartWithHooksDisguised() throws IOException {
    renderable = work.resolve("kfm-telemetry-streams");
    minimumValues = Files.writeString(work.resolve("values-minimum.yaml"), """
        kafka:
          bootstrapServers: kafka:9092
        schemaRegistry:
          url: http://registry:8081
        """);
    try (Stream<Path> files = Files.walk(CHART)) {
      for (Path file : files.toList()) {
        Path copy = renderable.resolve(CHART.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else if (file.startsWith(CHART.resolve("templates"))) {
          Files.writeString(copy, Files.readString(file).replace(HOOK, DISGUISED_HOOK));
        } else {
          Files.copy(file, copy);
        }
      }
    }
  }

  // ---------------------------------------------------------------- lint, package, files

  @Test
  void shouldPassHelmLintStrict() {
    // When
    LintResult lint = new Helm(CHART).lint().strict().call();

    // Then
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void shouldPackageTheChart(@TempDir Path out) throws IOException {
    // When
    new Helm(CHART).packageIt().withDestination(out).call();

    // Then
    assertThat(out.resolve("kfm-telemetry-streams-0.1.0.tgz")).isRegularFile();
  }

  @Test
  void shouldShipTheRepositoryTopicsFileUnchanged() throws IOException {
    // Given: the chart's copy (Helm cannot read files outside the chart directory)
    String shipped = Files.readString(CHART.resolve("files/topics.yaml"));

    // Then: it cannot drift from the single source
    assertThat(shipped).as("helm/kfm-telemetry-streams/files/topics.yaml must equal topics.yaml: cp topics.yaml "
        + "helm/kfm-telemetry-streams/files/").isEqualTo(Files.readString(Path.of("topics.yaml")));
  }

  @Test
  void shouldUseTheImageOfTheChartsAppVersion() throws IOException {
    // Given
    JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());

    // When
    Manifests manifests = render(t -> t);

    // Then
    assertThat(manifests.one("StatefulSet", FULLNAME).at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("ghcr.io/kfm/kfm-telemetry-streams:" + chart.get("appVersion").asText());
  }

  // ---------------------------------------------------------------- every manifest is a valid Kubernetes object

  @Test
  void shouldRenderDefaultValuesIntoValidKubernetesObjects() {
    // When
    Manifests manifests = render(t -> t);

    // Then
    assertThat(manifests.kinds()).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "ConfigMap", "Service",
        "Service", "StatefulSet", "PodDisruptionBudget", "Job");
    manifests.all().forEach(KubernetesTypes::assertValid);
  }

  @Test
  void shouldRenderProductionValuesIntoValidKubernetesObjects() {
    // When
    Manifests manifests = render(t -> t.withValuesFile(PRODUCTION));

    // Then
    assertThat(manifests.kinds()).contains("StatefulSet", "Job", "NetworkPolicy", "ServiceMonitor", "PrometheusRule",
        "PodDisruptionBudget").containsOnlyOnce("StatefulSet", "NetworkPolicy", "ServiceMonitor", "PrometheusRule");
    manifests.all().forEach(KubernetesTypes::assertValid);
  }

  @Test
  void shouldRenderTheInstallCommandsOfTheDeployPageAsTheyAreWritten() throws IOException {
    // Given the helm upgrade --install commands of docs/deploy.md (continuation lines joined)
    String page = Files.readString(Path.of("docs/deploy.md")).replace("\\\n", " ");
    List<Map<String, String>> commands = new ArrayList<>();
    Matcher command = Pattern.compile("helm upgrade --install kfm helm/kfm-telemetry-streams[^\n]*").matcher(page);
    while (command.find()) {
      Map<String, String> sets = new LinkedHashMap<>();
      Matcher set = Pattern.compile("--set (\\S+?)=(\\S+)").matcher(command.group());
      while (set.find()) {
        sets.put(set.group(1), set.group(2));
      }
      commands.add(sets);
    }
    assertThat(commands).as("install commands in docs/deploy.md").hasSizeGreaterThanOrEqualTo(2);

    for (Map<String, String> sets : commands) {
      // When each is rendered with exactly its --set values
      Manifests manifests = Manifests.parse(template(t -> {
        sets.forEach(t::set);
        return t;
      }).call().replace(DISGUISED_HOOK, HOOK));

      // Then the service and the topics job come out as valid Kubernetes objects
      assertThat(manifests.kinds()).as("%s", sets).contains("StatefulSet", "Job", "ConfigMap");
      manifests.all().forEach(KubernetesTypes::assertValid);
    }
  }

  @Test
  void shouldRenderEveryOptionalResourceIntoValidObjects() {
    // When
    Manifests manifests = render(t -> t.withValuesFile(PRODUCTION).set("topics.strimzi.enabled", "true")
        .set("topics.strimzi.clusterName", "events").set("kafka.tls.keystoreSecret.name", "kfm-mtls")
        .set("kafka.tls.keystorePasswordSecret.name", "kfm-mtls").set("schemaRegistry.tls.truststoreSecret.name",
            "kfm-registry-tls").set("persistence.enabled", "false"));

    // Then
    assertThat(manifests.kinds()).contains("KafkaTopic", "ServiceMonitor", "PrometheusRule", "NetworkPolicy");
    manifests.all().forEach(KubernetesTypes::assertValid);
  }

  @Test
  void shouldRejectAMisspeltFieldAsTheKubernetesApiWould() {
    // Given: a manifest as a template with a typo would render it
    ObjectNode pdb = (ObjectNode) render(t -> t).one("PodDisruptionBudget", FULLNAME).deepCopy();
    ((ObjectNode) pdb.get("spec")).put("maxUnavailabe", 1);

    // Then: the same check every rendered manifest passes fails on it, naming the field
    assertThatThrownBy(() -> KubernetesTypes.assertValid(pdb)).hasMessageContaining("maxUnavailabe");
  }

  @Test
  void shouldRejectAMisspeltFieldDeepInsideAPodTemplate() {
    // Given
    ObjectNode sts = (ObjectNode) render(t -> t).one("StatefulSet", FULLNAME).deepCopy();
    ((ObjectNode) sts.at("/spec/template/spec/containers/0")).putObject("readinesProbe");

    // Then
    assertThatThrownBy(() -> KubernetesTypes.assertValid(sts)).hasMessageContaining("readinesProbe");
  }

  @Test
  void shouldKeepNamesWithinKubernetesLimitsForALongReleaseName() {
    // Given: a release name of 53 characters
    String release = "telemetry-streams-for-the-kfm-platform-production-eu1";

    // When
    Manifests manifests = Manifests.parse(template(renderable, t -> t.withName(release).withValuesFile(minimumValues)
        .withValuesFile(PRODUCTION).set("metrics.dashboard.enabled", "true")).call().replace(DISGUISED_HOOK, HOOK));

    // Then: pod names (StatefulSet name + "-N") and the Services' names are DNS labels (63 characters at most)
    assertThat(manifests.all()).allSatisfy(m -> assertThat(m.at("/metadata/name").asText()).hasSizeLessThanOrEqualTo(63));
    assertThat(manifests.ofKind("StatefulSet").get(0).at("/metadata/name").asText()).startsWith("telemetry-streams-")
        .hasSizeLessThanOrEqualTo(52);
    manifests.all().forEach(KubernetesTypes::assertValid);
  }

  // ---------------------------------------------------------------- the workload

  @Test
  void shouldProbeHealthzForLivenessAndReadyzForReadiness() {
    // When
    JsonNode container = render(t -> t).one("StatefulSet", FULLNAME).at("/spec/template/spec/containers/0");

    // Then
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    assertThat(container.get("args")).extracting(JsonNode::asText)
        .containsExactly("run", "--config", "/etc/kfm/kfm.yaml");
  }

  @Test
  void shouldRunAsAStatefulSetWithPersistentStateAndTimeToCloseCleanly() {
    // When
    JsonNode sts = render(t -> t.withValuesFile(PRODUCTION)).one("StatefulSet", FULLNAME);

    // Then
    assertThat(sts.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(sts.at("/spec/serviceName").asText()).isEqualTo(FULLNAME + "-headless");
    assertThat(sts.at("/spec/volumeClaimTemplates/0/metadata/name").asText()).isEqualTo("state");
    assertThat(sts.at("/spec/volumeClaimTemplates/0/spec/resources/requests/storage").asText()).isEqualTo("20Gi");
    assertThat(mountPaths(sts)).containsEntry("state", "/var/lib/kfm/state").containsEntry("tmp", "/tmp");
    // the service waits up to 30 s for Kafka Streams to close
    assertThat(sts.at("/spec/template/spec/terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(35);
    assertThat(sts.at("/spec/template/spec/containers/0/resources/limits/memory").asText()).isEqualTo("2Gi");
  }

  @Test
  void shouldUseAnEmptyDirForStateWithoutPersistence() {
    // When
    JsonNode sts = render(t -> t.set("persistence.enabled", "false")).one("StatefulSet", FULLNAME);

    // Then
    assertThat(sts.at("/spec/volumeClaimTemplates").isMissingNode()).isTrue();
    assertThat(volume(sts, "state").has("emptyDir")).isTrue();
  }

  @Test
  void shouldHardenThePodSecurityContext() {
    // When
    Manifests manifests = render(t -> t);

    // Then: the service's pods and the topics Job alike
    for (JsonNode pod : List.of(manifests.one("StatefulSet", FULLNAME).at("/spec/template/spec"),
        manifests.one("Job", FULLNAME + "-topics").at("/spec/template/spec"))) {
      assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
      assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
      assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
      assertThat(pod.at("/automountServiceAccountToken").asBoolean(true)).isFalse();
      JsonNode container = pod.at("/containers/0/securityContext");
      assertThat(container.at("/readOnlyRootFilesystem").asBoolean()).isTrue();
      assertThat(container.at("/allowPrivilegeEscalation").asBoolean(true)).isFalse();
      assertThat(container.at("/capabilities/drop")).extracting(JsonNode::asText).containsExactly("ALL");
      assertThat(container.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    }
  }

  @Test
  void shouldGuardAgainstDisruptionsOneInstanceAtATime() {
    // When
    JsonNode pdb = render(t -> t).one("PodDisruptionBudget", FULLNAME);

    // Then
    assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    assertThat(pdb.at("/spec/selector/matchLabels")).isEqualTo(
        render(t -> t).one("StatefulSet", FULLNAME).at("/spec/selector/matchLabels"));
  }

  @Test
  void shouldGiveEveryInstanceItsApplicationServerAndStaticMembership() {
    // When
    Map<String, JsonNode> env = env(render(t -> t).one("StatefulSet", FULLNAME));

    // Then
    assertThat(env.get("KFM_KAFKA_APPLICATION_SERVER").get("value").asText())
        .isEqualTo("$(POD_NAME)." + FULLNAME + "-headless.$(POD_NAMESPACE).svc:8080");
    assertThat(env.get("KFM_KAFKA_GROUP_INSTANCE_ID").get("value").asText()).isEqualTo("$(POD_NAME)");
    assertThat(env.get("POD_NAME").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
    assertThat(render(t -> t).one("Service", FULLNAME + "-headless").at("/spec/clusterIP").asText()).isEqualTo("None");
  }

  // ---------------------------------------------------------------- configuration and secrets

  @Test
  void shouldRenderAConfigurationTheServiceAccepts(@TempDir Path dir) throws Exception {
    // Given: the production rendering, its ConfigMap file and the pod's environment as the kubelet expands it
    Manifests manifests = render(t -> t.withValuesFile(PRODUCTION));
    Path config = dir.resolve("kfm.yaml");
    Files.writeString(config, manifests.one("ConfigMap", FULLNAME).at("/data/kfm.yaml").asText());
    Map<String, String> env = podEnvironment(manifests.one("StatefulSet", FULLNAME), FULLNAME + "-2");
    // the mounted Secrets, here (the key paths point at /etc/kfm/keys in the pod)
    writeKeyPair(dir);
    env.put("KFM_HEALTH_ALERTS_SIGNING_KEY", dir.resolve("alert-signing.key").toString());
    env.put("KFM_HEALTH_ALERTS_PUBLIC_KEY", dir.resolve("alert-signing.pub").toString());
    env.put("KFM_VALIDATOR_TRUSTED_KEYS", dir.resolve("alert-signing.pub").toString());

    // When: the service's own loader reads it as `kfm run` does
    ServiceConfig loaded = ConfigLoader.load(config, env, true);

    // Then
    Properties kafka = loaded.kafkaProperties();
    assertThat(kafka.getProperty("bootstrap.servers")).startsWith("kafka-0.kafka.example.internal:9093,");
    assertThat(kafka.getProperty("security.protocol")).isEqualTo("SASL_SSL");
    assertThat(kafka.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
    assertThat(kafka.getProperty("sasl.jaas.config")).isEqualTo("secret kfm-kafka-client/sasl.jaas.config");
    assertThat(kafka.getProperty("ssl.truststore.location")).isEqualTo("/etc/kfm/tls/kafka/truststore.p12");
    assertThat(kafka.getProperty("ssl.truststore.password")).isEqualTo("secret kfm-kafka-client/truststore.password");
    assertThat(kafka.getProperty("state.dir")).isEqualTo("/var/lib/kfm/state");
    assertThat(kafka.getProperty("num.standby.replicas")).isEqualTo("1");
    assertThat(kafka.getProperty("num.stream.threads")).isEqualTo("2");
    assertThat(kafka.getProperty("application.server"))
        .isEqualTo(FULLNAME + "-2." + FULLNAME + "-headless.telemetry.svc:8080");
    assertThat(kafka.getProperty("group.instance.id")).isEqualTo(FULLNAME + "-2");
    assertThat(kafka.getProperty("producer.compression.type")).isEqualTo("zstd");
    assertThat(loaded.serde()).containsEntry("schema.registry.url", "https://schema-registry.example.internal:8081")
        .containsEntry("basic.auth.user.info", "secret kfm-registry/user-info");
    assertThat(loaded.httpPort()).isEqualTo(8080);
    assertThat(loaded.app().health().alertsEnabled()).isTrue();
  }

  @Test
  void shouldRunWithoutAlertsAndWithoutASigningKeyWhenAlertsAreOff(@TempDir Path dir) throws IOException {
    // Given
    Manifests manifests = render(t -> t.set("config.health.alerts.enabled", "false")
        .set("alertSigning.existingSecret", ""));
    Path config = Files.writeString(dir.resolve("kfm.yaml"),
        manifests.one("ConfigMap", FULLNAME).at("/data/kfm.yaml").asText());

    // When
    ServiceConfig loaded = ConfigLoader.load(config, podEnvironment(manifests.one("StatefulSet", FULLNAME),
        FULLNAME + "-0"), true);

    // Then
    assertThat(loaded.app().health().alertsEnabled()).isFalse();
    assertThat(mountPaths(manifests.one("StatefulSet", FULLNAME))).doesNotContainKey("alert-signing");
  }

  @Test
  void shouldRenderTopicsSlosAndWindowsFromValues() throws IOException {
    // When
    JsonNode config = YAML.readTree(render(t -> t.set("config.health.window", "12h")
            .set("config.health.slo.trace-pct", "97.5").set("config.topics.raw", "kfm.telemetry.raw.v2"))
        .one("ConfigMap", FULLNAME).at("/data/kfm.yaml").asText());

    // Then
    assertThat(config.at("/health/window").asText()).isEqualTo("12h");
    assertThat(config.at("/health/slo/trace-pct").asDouble()).isEqualTo(97.5);
    assertThat(config.at("/health/slo/energy-pct").asDouble()).isEqualTo(90.0);
    assertThat(config.at("/topics/raw").asText()).isEqualTo("kfm.telemetry.raw.v2");
    assertThat(config.at("/health/alerts/signing-key").asText()).isEqualTo("/etc/kfm/keys/alert-signing.key");
  }

  @Test
  void shouldReferenceSecretsAndNeverInlineThem() {
    // When
    Manifests manifests = render(t -> t.withValuesFile(PRODUCTION));
    JsonNode sts = manifests.one("StatefulSet", FULLNAME);
    Map<String, JsonNode> env = env(sts);

    // Then: credentials come from secretKeyRefs ...
    assertThat(secretRef(env, "KFM_KAFKA_SASL_JAAS_CONFIG")).isEqualTo("kfm-kafka-client/sasl.jaas.config");
    assertThat(secretRef(env, "KFM_KAFKA_SSL_TRUSTSTORE_PASSWORD")).isEqualTo("kfm-kafka-client/truststore.password");
    assertThat(secretRef(env, "KFM_SERDE_BASIC_AUTH_USER_INFO")).isEqualTo("kfm-registry/user-info");
    // ... key material from mounted Secrets ...
    assertThat(volume(sts, "alert-signing").at("/secret/secretName").asText()).isEqualTo("kfm-alert-signing");
    assertThat(volume(sts, "alert-signing").at("/secret/items")).extracting(i -> i.get("path").asText())
        .containsExactly("alert-signing.key", "alert-signing.pub");
    assertThat(volume(sts, "trusted-keys").at("/secret/secretName").asText()).isEqualTo("kfm-trusted-keys");
    assertThat(volume(sts, "kafka-truststore").at("/secret/secretName").asText()).isEqualTo("kfm-kafka-client");
    assertThat(mountPaths(sts)).containsEntry("alert-signing", "/etc/kfm/keys")
        .containsEntry("trusted-keys", "/etc/kfm/trusted-keys").containsEntry("kafka-truststore", "/etc/kfm/tls/kafka");
    // ... and the chart creates no Secret, nor writes a credential into a ConfigMap
    assertThat(manifests.kinds()).doesNotContain("Secret");
    manifests.all().stream().filter(m -> m.path("kind").asText().equals("ConfigMap"))
        .map(m -> m.path("data").toString())
        .forEach(data -> assertThat(data).doesNotContain("jaas.config", "password", "user.info", "PRIVATE KEY"));
  }

  @Test
  void shouldPassTheSameCredentialsToTheTopicsJob() {
    // When
    Manifests manifests = render(t -> t.withValuesFile(PRODUCTION));

    // Then
    Map<String, JsonNode> jobEnv = env(manifests.one("Job", FULLNAME + "-topics"));
    assertThat(secretRef(jobEnv, "KFM_KAFKA_SASL_JAAS_CONFIG")).isEqualTo("kfm-kafka-client/sasl.jaas.config");
    assertThat(secretRef(jobEnv, "KFM_KAFKA_SSL_TRUSTSTORE_PASSWORD")).isEqualTo("kfm-kafka-client/truststore.password");
    assertThat(mountPaths(manifests.one("Job", FULLNAME + "-topics")))
        .containsEntry("kafka-truststore", "/etc/kfm/tls/kafka").doesNotContainKey("alert-signing");
  }

  @Test
  void shouldPassExtraEnvironmentAndVolumes() {
    // When
    JsonNode sts = render(t -> t.set("extraEnv[0].name", "KFM_HEALTH_MIN_RUNS").set("extraEnv[0].value", "20")
        .set("extraVolumes[0].name", "plugins").set("extraVolumes[0].emptyDir.medium", "Memory")
        .set("extraVolumeMounts[0].name", "plugins").set("extraVolumeMounts[0].mountPath", "/opt/plugins"))
        .one("StatefulSet", FULLNAME);

    // Then
    assertThat(env(sts).get("KFM_HEALTH_MIN_RUNS").get("value").asText()).isEqualTo("20");
    assertThat(mountPaths(sts)).containsEntry("plugins", "/opt/plugins");
  }

  // ---------------------------------------------------------------- topics

  @Test
  void shouldApplyTopicsInAPreInstallHookWithItsOwnConfiguration() throws IOException {
    // When
    Manifests manifests = render(t -> t.set("topics.hookJob.replicationFactor", "1"));
    JsonNode job = manifests.one("Job", FULLNAME + "-topics");
    JsonNode hookConfig = manifests.one("ConfigMap", FULLNAME + "-topics");

    // Then: the Job runs `kfm topics apply` with the service config and the shipped topics.yaml ...
    assertThat(job.at("/metadata/annotations/helm.sh~1hook").asText()).isEqualTo("pre-install,pre-upgrade");
    assertThat(job.at("/spec/template/spec/containers/0/args")).extracting(JsonNode::asText).containsExactly(
        "topics", "apply", "--config", "/etc/kfm/kfm.yaml", "--file", "/etc/kfm/topics/topics.yaml",
        "--replication-factor", "1");
    assertThat(job.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Never");
    // ... from a ConfigMap that is a hook too, created before the Job
    assertThat(hookConfig.at("/metadata/annotations/helm.sh~1hook").asText()).isEqualTo("pre-install,pre-upgrade");
    assertThat(Integer.parseInt(hookConfig.at("/metadata/annotations/helm.sh~1hook-weight").asText()))
        .isLessThan(Integer.parseInt(job.at("/metadata/annotations/helm.sh~1hook-weight").asText()));
    assertThat(hookConfig.at("/data/topics.yaml").asText()).isEqualTo(Files.readString(Path.of("topics.yaml")));
    assertThat(hookConfig.at("/data/kfm.yaml").asText())
        .isEqualTo(manifests.one("ConfigMap", FULLNAME).at("/data/kfm.yaml").asText().lines()
            .filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n", "", "\n")));
    // ... and its pod is none of the service's (the StatefulSet, Services and PDB select by these labels)
    assertThat(job.at("/spec/template/metadata/labels/app.kubernetes.io~1name").asText())
        .isNotEqualTo(manifests.one("StatefulSet", FULLNAME)
            .at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText());
  }

  @Test
  void shouldKeepTheTopicsJobAndItsConfigurationOutOfTheReleaseManifest() {
    // When: the real chart, whose hooks helm-java's template leaves out as Helm leaves them out of the release
    Manifests release = Manifests.parse(template(CHART, t -> t.set("kafka.bootstrapServers", "kafka:9092")
        .set("schemaRegistry.url", "http://registry:8081")).call());

    // Then: Helm took them for hooks
    assertThat(release.kinds()).doesNotContain("Job");
    assertThat(release.ofKind("ConfigMap")).extracting(c -> c.at("/metadata/name").asText())
        .containsExactly(FULLNAME);
  }

  @Test
  void shouldRenderStrimziTopicsFromTheSameTopicsFile() throws IOException {
    // Given
    JsonNode file = YAML.readTree(Path.of("topics.yaml").toFile());

    // When
    Manifests manifests = render(t -> t.set("topics.strimzi.enabled", "true")
        .set("topics.strimzi.clusterName", "events").set("topics.hookJob.enabled", "false"));

    // Then: one KafkaTopic per declared topic, with its partitions and merged configs
    List<JsonNode> topics = manifests.ofKind("KafkaTopic");
    assertThat(topics).extracting(t -> t.at("/spec/topicName").asText()).containsExactlyElementsOf(
        StreamSupport.stream(file.get("topics").spliterator(), false).map(t -> t.get("name").asText()).toList());
    JsonNode raw = topics.get(0);
    assertThat(raw.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("events");
    assertThat(raw.at("/metadata/annotations/helm.sh~1resource-policy").asText()).isEqualTo("keep");
    assertThat(raw.at("/spec/partitions").asInt()).isEqualTo(12);
    assertThat(raw.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(raw.at("/spec/config/retention.ms").asLong()).isEqualTo(604_800_000L);
    assertThat(raw.at("/spec/config/min.insync.replicas").asInt()).isEqualTo(2);
    assertThat(raw.at("/spec/config/cleanup.policy").asText()).isEqualTo("delete");
    assertThat(topics.get(1).at("/spec/config/retention.ms").asLong()).as("the valid topic's own config")
        .isEqualTo(2_592_000_000L);
    assertThat(manifests.kinds()).doesNotContain("Job");
  }

  @Test
  void shouldCapMinInsyncReplicasWhenStrimziReplicasAreOverridden() {
    // When
    List<JsonNode> topics = render(t -> t.set("topics.strimzi.enabled", "true")
        .set("topics.strimzi.clusterName", "dev").set("topics.strimzi.replicas", "1")).ofKind("KafkaTopic");

    // Then
    assertThat(topics).allSatisfy(t -> {
      assertThat(t.at("/spec/replicas").asInt()).isEqualTo(1);
      assertThat(t.at("/spec/config/min.insync.replicas").asInt()).isEqualTo(1);
    });
  }

  // ---------------------------------------------------------------- monitoring toggles

  @Test
  void shouldLeaveOptionalResourcesOutByDefault() {
    // When
    Manifests manifests = render(t -> t);

    // Then
    assertThat(manifests.kinds()).doesNotContain("ServiceMonitor", "PrometheusRule", "NetworkPolicy", "KafkaTopic");
    assertThat(manifests.ofKind("ConfigMap")).extracting(c -> c.at("/metadata/name").asText())
        .doesNotContain(FULLNAME + "-dashboard");
  }

  @Test
  void shouldScrapeMetricsWithAServiceMonitorWhenEnabled() {
    // When
    Manifests manifests = render(t -> t.set("metrics.serviceMonitor.enabled", "true")
        .set("metrics.serviceMonitor.labels.release", "prometheus"));
    JsonNode monitor = manifests.one("ServiceMonitor", FULLNAME);

    // Then: the http Service (not the headless one) on /metrics
    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
    assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
    assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
    JsonNode selector = monitor.at("/spec/selector/matchLabels");
    assertThat(manifests.ofKind("Service")).filteredOn(s -> matches(selector, s.at("/metadata/labels")))
        .extracting(s -> s.at("/metadata/name").asText()).containsExactly(FULLNAME);
  }

  @Test
  void shouldAlertOnTheServicesOwnMetricsWhenEnabled() {
    // When
    JsonNode rule = render(t -> t.set("metrics.prometheusRule.enabled", "true")
        .set("metrics.prometheusRule.consumerLag.threshold", "5000")).one("PrometheusRule", FULLNAME);

    // Then: metric names as the service exports them (Micrometer's Prometheus naming)
    Map<String, String> exprs = new LinkedHashMap<>();
    rule.at("/spec/groups/0/rules").forEach(r -> exprs.put(r.path("alert").asText(), r.path("expr").asText()));
    assertThat(exprs).containsKeys("KfmStreamThreadDead", "KfmDeadLetterRateSpike", "KfmConsumerLagHigh");
    assertThat(exprs.get("KfmStreamThreadDead")).contains("kafka_stream_alive_stream_threads{job=\"" + FULLNAME
        + "\", namespace=\"telemetry\"}").endsWith("< 1");
    assertThat(exprs.get("KfmDeadLetterRateSpike")).contains("kfm_records_total{job=\"" + FULLNAME
        + "\", namespace=\"telemetry\", outcome=\"dlq\"}");
    assertThat(exprs.get("KfmConsumerLagHigh")).contains("kafka_consumer_fetch_manager_records_lag_max")
        .endsWith("> 5000");
    assertThat(exprs.get("KfmStreamsNotRunning")).contains("kafka_stream_client_state");
    // Prometheus's own template syntax reaches Prometheus unrendered by Helm
    assertThat(rule.at("/spec/groups/0/rules/0/annotations/summary").asText()).contains("{{ $labels.pod }}");
  }

  @Test
  void shouldShipAGrafanaDashboardWhenEnabled() throws IOException {
    // When
    JsonNode configMap = render(t -> t.set("metrics.dashboard.enabled", "true")).one("ConfigMap", FULLNAME + "-dashboard");

    // Then: a dashboard the Grafana sidecar picks up, with the panels operators asked for
    assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    JsonNode dashboard = JSON.readTree(configMap.at("/data/kfm-telemetry-streams.json").asText());
    List<String> titles = new ArrayList<>();
    dashboard.get("panels").forEach(p -> titles.add(p.get("title").asText()));
    assertThat(titles).contains("Throughput by outcome", "Dead-lettered records by rule",
        "Trace coverage per pipeline", "Energy-report coverage per pipeline", "Firing alerts",
        "Signed wpe.alert events by rule and status");
    assertThat(dashboard.get("panels").toString()).contains("kfm_records_total", "kfm_dlq_rules_total",
        "kfm_health_coverage_pct", "kfm_alerts_total");
  }

  @Test
  void shouldRestrictTrafficWithANetworkPolicyWhenEnabled() {
    // When
    JsonNode policy = render(t -> t.withValuesFile(PRODUCTION)).one("NetworkPolicy", FULLNAME);

    // Then: ingress to the HTTP port only; egress to DNS, the peers and the listed Kafka/registry
    assertThat(policy.at("/spec/policyTypes")).extracting(JsonNode::asText).containsExactly("Ingress", "Egress");
    assertThat(policy.at("/spec/ingress/0/ports/0/port").asText()).isEqualTo("http");
    assertThat(policy.at("/spec/ingress/0/from/1/namespaceSelector/matchLabels/kubernetes.io~1metadata.name")
        .asText()).isEqualTo("monitoring");
    assertThat(policy.at("/spec/egress/0/ports/0/port").asInt()).isEqualTo(53);
    assertThat(policy.at("/spec/egress/2/to/0/ipBlock/cidr").asText()).isEqualTo("10.20.0.0/16");
  }

  // ---------------------------------------------------------------- bad values fail at install time
  // helm template validates values as helm install does, before rendering anything: the schema's message
  // names the value's path (and the value, except for an enum, where it lists the allowed ones); rules
  // across values fail in templates/validate.yaml with a sentence naming the value to fix.

  @Test
  void shouldRequireTheBootstrapServers() {
    // When / Then
    assertThatThrownBy(() -> template(t -> t.set("schemaRegistry.url", "http://registry:8081")).call())
        .hasMessageContaining("bootstrapServers");
  }

  @Test
  void shouldRejectAnUnknownSecurityProtocolNamingIt() {
    // When / Then: the allowed values are listed
    assertThatThrownBy(() -> render(t -> t.set("kafka.securityProtocol", "SASL_TLS")))
        .hasMessageContaining("securityProtocol").hasMessageContaining("SASL_SSL");
  }

  @Test
  void shouldRejectAnSloAbove100Percent() {
    // When / Then
    assertThatThrownBy(() -> render(t -> t.set("config.health.slo.trace-pct", "150")))
        .hasMessageContaining("trace-pct").hasMessageContaining("150");
  }

  @Test
  void shouldRejectAWindowThatIsNoDuration() {
    // When / Then
    assertThatThrownBy(() -> render(t -> t.set("config.health.window", "1 day")))
        .hasMessageContaining("window").hasMessageContaining("1 day");
  }

  @Test
  void shouldRejectAMisspeltValuesKey() {
    // When / Then
    assertThatThrownBy(() -> render(t -> t.set("kafka.standbyReplica", "2"))).hasMessageContaining("standbyReplica");
  }

  @Test
  void shouldRejectSaslWithoutAMechanism() {
    // When / Then
    assertThatThrownBy(() -> render(t -> t.set("kafka.securityProtocol", "SASL_SSL")))
        .hasMessageContaining("mechanism");
  }

  @Test
  void shouldRejectAlertsWithoutASigningKeySecret() {
    // When / Then
    assertThatThrownBy(() -> render(t -> t.set("alertSigning.existingSecret", "")))
        .hasMessageContaining("existingSecret");
  }

  @Test
  void shouldRejectASecretWrittenIntoTheValues() {
    // When / Then
    assertThatThrownBy(() -> render(t -> t.set("kafka.extraProperties.sasl\\.jaas\\.config", "x required;")))
        .hasMessageContaining("invalid propertyName").hasMessageContaining("sasl.jaas.config");
    assertThatThrownBy(() -> render(t -> t.set("schemaRegistry.extraProperties.basic\\.auth\\.user\\.info", "u:p")))
        .hasMessageContaining("basic.auth.user.info");
  }

  @Test
  void shouldRejectStrimziTopicsWithoutACluster() {
    // When / Then
    assertThatThrownBy(() -> render(t -> t.set("topics.strimzi.enabled", "true"))).hasMessageContaining("clusterName");
  }

  // ---------------------------------------------------------------- helpers

  /** The chart rendered as {@code helm template kfm -n telemetry} with the minimum values plus {@code values}. */
  static Manifests render(UnaryOperator<TemplateCommand> values) {
    return Manifests.parse(values.apply(template(renderable, t -> t.withValuesFile(minimumValues))).call()
        .replace(DISGUISED_HOOK, HOOK));
  }

  static TemplateCommand template(UnaryOperator<TemplateCommand> values) {
    return template(renderable, values);
  }

  static TemplateCommand template(Path chart, UnaryOperator<TemplateCommand> values) {
    return values.apply(new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION));
  }

  /** The rendered objects, in order. */
  record Manifests(List<JsonNode> all) {

    static Manifests parse(String yaml) {
      try {
        List<JsonNode> docs = new ArrayList<>();
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
          if (doc != null && doc.isObject() && doc.size() > 0) {
            docs.add(doc);
          }
        }
        return new Manifests(docs);
      } catch (IOException e) {
        throw new UncheckedIOException("helm template rendered no YAML:\n" + yaml, e);
      }
    }

    List<String> kinds() {
      return all.stream().map(m -> m.path("kind").asText()).toList();
    }

    List<JsonNode> ofKind(String kind) {
      return all.stream().filter(m -> m.path("kind").asText().equals(kind)).toList();
    }

    JsonNode one(String kind, String name) {
      List<JsonNode> found = ofKind(kind).stream().filter(m -> m.at("/metadata/name").asText().equals(name)).toList();
      assertThat(found).as("%s %s among %s", kind, name, kinds()).hasSize(1);
      return found.get(0);
    }
  }

  static Map<String, JsonNode> env(JsonNode workload) {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    workload.at("/spec/template/spec/containers/0/env").forEach(e -> env.put(e.get("name").asText(), e));
    return env;
  }

  static String secretRef(Map<String, JsonNode> env, String name) {
    assertThat(env).containsKey(name);
    JsonNode ref = env.get(name).at("/valueFrom/secretKeyRef");
    assertThat(env.get(name).has("value")).as("%s has an inline value", name).isFalse();
    return ref.get("name").asText() + "/" + ref.get("key").asText();
  }

  /**
   * The container's environment as the kubelet sets it for pod {@code podName}: downward-API fields
   * filled in, {@code $(VAR)} references expanded, each Secret value replaced by "secret NAME/KEY".
   */
  static Map<String, String> podEnvironment(JsonNode workload, String podName) {
    Map<String, String> env = new LinkedHashMap<>();
    Pattern reference = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    env(workload).forEach((name, e) -> {
      String value;
      if (e.has("value")) {
        Matcher m = reference.matcher(e.get("value").asText());
        value = m.replaceAll(r -> Matcher.quoteReplacement(env.getOrDefault(r.group(1), r.group())));
      } else if (e.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.name")) {
        value = podName;
      } else if (e.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.namespace")) {
        value = NAMESPACE;
      } else {
        JsonNode ref = e.at("/valueFrom/secretKeyRef");
        value = "secret " + ref.get("name").asText() + "/" + ref.get("key").asText();
      }
      env.put(name, value);
    });
    return env;
  }

  static JsonNode volume(JsonNode workload, String name) {
    for (JsonNode v : workload.at("/spec/template/spec/volumes")) {
      if (v.get("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no volume " + name + " in " + workload.at("/spec/template/spec/volumes"));
  }

  static Map<String, String> mountPaths(JsonNode workload) {
    Map<String, String> mounts = new LinkedHashMap<>();
    workload.at("/spec/template/spec/containers/0/volumeMounts")
        .forEach(m -> mounts.put(m.get("name").asText(), m.get("mountPath").asText()));
    return mounts;
  }

  static boolean matches(JsonNode selector, JsonNode labels) {
    Set<String> keys = new HashSet<>();
    selector.fieldNames().forEachRemaining(keys::add);
    return keys.stream().allMatch(k -> selector.get(k).equals(labels.get(k)));
  }

  static void writeKeyPair(Path dir) throws GeneralSecurityException, IOException {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Files.writeString(dir.resolve("alert-signing.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    Files.writeString(dir.resolve("alert-signing.pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
