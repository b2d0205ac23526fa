package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.deploy.HelmChart.FULLNAME;
import static org.kfm.telemetry.deploy.HelmChart.PRODUCTION;
import static org.kfm.telemetry.deploy.HelmChart.render;
import static org.kfm.telemetry.deploy.HelmChart.values;
import static org.kfm.telemetry.deploy.PodTemplate.env;
import static org.kfm.telemetry.deploy.PodTemplate.mountPaths;
import static org.kfm.telemetry.deploy.PodTemplate.volume;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service's StatefulSet: probes, persistent state, a hardened pod, one disruption at a time,
 * and each instance's own application server and static membership.
 */
class HelmChartWorkloadTest {

  @Test
  void shouldProbeHealthzForLivenessAndReadyzForReadiness() {
    // When
    JsonNode container =
        render(values()).one("StatefulSet", FULLNAME).at("/spec/template/spec/containers/0");

    // Then
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    assertThat(container.get("args"))
        .extracting(JsonNode::asText)
        .containsExactly("run", "--config", "/etc/kfm/kfm.yaml");
  }

  @Test
  void shouldRunAsAStatefulSetWithPersistentStateAndTimeToCloseCleanly() {
    // When
    JsonNode sts = render(values().file(PRODUCTION)).one("StatefulSet", FULLNAME);

    // Then
    assertThat(sts.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(sts.at("/spec/serviceName").asText()).isEqualTo(FULLNAME + "-headless");
    assertThat(sts.at("/spec/volumeClaimTemplates/0/metadata/name").asText()).isEqualTo("state");
    assertThat(sts.at("/spec/volumeClaimTemplates/0/spec/resources/requests/storage").asText())
        .isEqualTo("20Gi");
    assertThat(mountPaths(sts))
        .containsEntry("state", "/var/lib/kfm/state")
        .containsEntry("tmp", "/tmp");
    // the service waits up to 30 s for Kafka Streams to close
    assertThat(sts.at("/spec/template/spec/terminationGracePeriodSeconds").asInt())
        .isGreaterThanOrEqualTo(35);
    assertThat(sts.at("/spec/template/spec/containers/0/resources/limits/memory").asText())
        .isEqualTo("2Gi");
  }

  @Test
  void shouldUseAnEmptyDirForStateWithoutPersistence() {
    // When
    JsonNode sts =
        render(values().set("persistence.enabled", "false")).one("StatefulSet", FULLNAME);

    // Then
    assertThat(sts.at("/spec/volumeClaimTemplates").isMissingNode()).isTrue();
    assertThat(volume(sts, "state").has("emptyDir")).isTrue();
  }

  @Test
  void shouldHardenThePodSecurityContext() {
    // When
    Manifests manifests = render(values());

    // Then: the service's pods and the topics Job alike
    for (JsonNode pod :
        List.of(
            manifests.one("StatefulSet", FULLNAME).at("/spec/template/spec"),
            manifests.one("Job", FULLNAME + "-topics").at("/spec/template/spec"))) {
      assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
      assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
      assertThat(pod.at("/securityContext/seccompProfile/type").asText())
          .isEqualTo("RuntimeDefault");
      assertThat(pod.at("/automountServiceAccountToken").asBoolean(true)).isFalse();
      JsonNode container = pod.at("/containers/0/securityContext");
      assertThat(container.at("/readOnlyRootFilesystem").asBoolean()).isTrue();
      assertThat(container.at("/allowPrivilegeEscalation").asBoolean(true)).isFalse();
      assertThat(container.at("/capabilities/drop"))
          .extracting(JsonNode::asText)
          .containsExactly("ALL");
      assertThat(container.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    }
  }

  @Test
  void shouldGuardAgainstDisruptionsOneInstanceAtATime() {
    // When
    JsonNode pdb = render(values()).one("PodDisruptionBudget", FULLNAME);

    // Then
    assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    assertThat(pdb.at("/spec/selector/matchLabels"))
        .isEqualTo(render(values()).one("StatefulSet", FULLNAME).at("/spec/selector/matchLabels"));
  }

  @Test
  void shouldGiveEveryInstanceItsApplicationServerAndStaticMembership() {
    // When
    Map<String, JsonNode> env = env(render(values()).one("StatefulSet", FULLNAME));

    // Then
    assertThat(env.get("KFM_KAFKA_APPLICATION_SERVER").get("value").asText())
        .isEqualTo("$(POD_NAME)." + FULLNAME + "-headless.$(POD_NAMESPACE).svc:8080");
    assertThat(env.get("KFM_KAFKA_GROUP_INSTANCE_ID").get("value").asText())
        .isEqualTo("$(POD_NAME)");
    assertThat(env.get("POD_NAME").at("/valueFrom/fieldRef/fieldPath").asText())
        .isEqualTo("metadata.name");
    assertThat(
            render(values()).one("Service", FULLNAME + "-headless").at("/spec/clusterIP").asText())
        .isEqualTo("None");
  }
}
