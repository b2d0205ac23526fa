package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kfm.telemetry.deploy.HelmChart.FULLNAME;
import static org.kfm.telemetry.deploy.HelmChart.PRODUCTION;
import static org.kfm.telemetry.deploy.HelmChart.noValues;
import static org.kfm.telemetry.deploy.HelmChart.render;
import static org.kfm.telemetry.deploy.HelmChart.values;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.deploy.HelmChart.Values;

/**
 * Every manifest the chart renders (default, production and the README's values) is an object the
 * Kubernetes API accepts field for field, and names stay within Kubernetes limits.
 */
class HelmChartManifestsTest {

  @Test
  void shouldRenderDefaultValuesIntoValidKubernetesObjects() {
    // When
    Manifests manifests = render(values());

    // Then
    assertThat(manifests.kinds())
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ConfigMap",
            "ConfigMap",
            "Service",
            "Service",
            "StatefulSet",
            "PodDisruptionBudget",
            "Job");
    manifests.all().forEach(KubernetesTypes::assertValid);
  }

  @Test
  void shouldRenderProductionValuesIntoValidKubernetesObjects() {
    // When
    Manifests manifests = render(values().file(PRODUCTION));

    // Then
    assertThat(manifests.kinds())
        .contains(
            "StatefulSet",
            "Job",
            "NetworkPolicy",
            "ServiceMonitor",
            "PrometheusRule",
            "PodDisruptionBudget")
        .containsOnlyOnce("StatefulSet", "NetworkPolicy", "ServiceMonitor", "PrometheusRule");
    manifests.all().forEach(KubernetesTypes::assertValid);
  }

  @Test
  void shouldRenderTheInstallCommandsOfTheDeployPageAsTheyAreWritten() throws IOException {
    // Given the helm upgrade --install commands of docs/deploy.md (continuation lines joined)
    String page = Files.readString(Path.of("docs/deploy.md")).replace("\\\n", " ");
    List<Map<String, String>> commands = new ArrayList<>();
    Matcher command =
        Pattern.compile("helm upgrade --install kfm helm/kfm-telemetry-streams[^\n]*")
            .matcher(page);
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
      Values asWritten = noValues();
      for (Map.Entry<String, String> set : sets.entrySet()) {
        asWritten = asWritten.set(set.getKey(), set.getValue());
      }
      Manifests manifests = render(asWritten);

      // Then the service and the topics job come out as valid Kubernetes objects
      assertThat(manifests.kinds()).as("%s", sets).contains("StatefulSet", "Job", "ConfigMap");
      manifests.all().forEach(KubernetesTypes::assertValid);
    }
  }

  @Test
  void shouldRenderEveryOptionalResourceIntoValidObjects() {
    // When
    Manifests manifests =
        render(
            values()
                .file(PRODUCTION)
                .set("topics.strimzi.enabled", "true")
                .set("topics.strimzi.clusterName", "events")
                .set("kafka.tls.keystoreSecret.name", "kfm-mtls")
                .set("kafka.tls.keystorePasswordSecret.name", "kfm-mtls")
                .set("schemaRegistry.tls.truststoreSecret.name", "kfm-registry-tls")
                .set("persistence.enabled", "false"));

    // Then
    assertThat(manifests.kinds())
        .contains("KafkaTopic", "ServiceMonitor", "PrometheusRule", "NetworkPolicy");
    manifests.all().forEach(KubernetesTypes::assertValid);
  }

  @Test
  void shouldRejectAMisspeltFieldAsTheKubernetesApiWould() {
    // Given: a manifest as a template with a typo would render it
    ObjectNode pdb = (ObjectNode) render(values()).one("PodDisruptionBudget", FULLNAME).deepCopy();
    ((ObjectNode) pdb.get("spec")).put("maxUnavailabe", 1);

    // Then: the same check every rendered manifest passes fails on it, naming the field
    assertThatThrownBy(() -> KubernetesTypes.assertValid(pdb))
        .hasMessageContaining("maxUnavailabe");
  }

  @Test
  void shouldRejectAMisspeltFieldDeepInsideAPodTemplate() {
    // Given
    ObjectNode sts = (ObjectNode) render(values()).one("StatefulSet", FULLNAME).deepCopy();
    ((ObjectNode) sts.at("/spec/template/spec/containers/0")).putObject("readinesProbe");

    // Then
    assertThatThrownBy(() -> KubernetesTypes.assertValid(sts))
        .hasMessageContaining("readinesProbe");
  }

  @Test
  void shouldKeepNamesWithinKubernetesLimitsForALongReleaseName() {
    // Given: a release name of 53 characters
    String release = "telemetry-streams-for-the-kfm-platform-production-eu1";

    // When
    Manifests manifests =
        render(values().release(release).file(PRODUCTION).set("metrics.dashboard.enabled", "true"));

    // Then: pod names (StatefulSet name + "-N") and the Services' names are DNS labels (63
    // characters at most)
    assertThat(manifests.all())
        .allSatisfy(m -> assertThat(m.at("/metadata/name").asText()).hasSizeLessThanOrEqualTo(63));
    assertThat(manifests.ofKind("StatefulSet").get(0).at("/metadata/name").asText())
        .startsWith("telemetry-streams-")
        .hasSizeLessThanOrEqualTo(52);
    manifests.all().forEach(KubernetesTypes::assertValid);
  }
}
