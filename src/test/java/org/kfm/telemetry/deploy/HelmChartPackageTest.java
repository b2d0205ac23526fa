package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.deploy.HelmChart.CHART;
import static org.kfm.telemetry.deploy.HelmChart.FULLNAME;
import static org.kfm.telemetry.deploy.HelmChart.YAML;
import static org.kfm.telemetry.deploy.HelmChart.render;
import static org.kfm.telemetry.deploy.HelmChart.values;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart as a package: it lints strictly, packages, and ships the repository's topics file and
 * the image of its appVersion.
 */
class HelmChartPackageTest {

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
    assertThat(shipped)
        .as(
            "helm/kfm-telemetry-streams/files/topics.yaml must equal topics.yaml: cp topics.yaml "
                + "helm/kfm-telemetry-streams/files/")
        .isEqualTo(Files.readString(Path.of("topics.yaml")));
  }

  @Test
  void shouldUseTheImageOfTheChartsAppVersion() throws IOException {
    // Given
    JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());

    // When
    Manifests manifests = render(values());

    // Then
    assertThat(
            manifests
                .one("StatefulSet", FULLNAME)
                .at("/spec/template/spec/containers/0/image")
                .asText())
        .isEqualTo("ghcr.io/kfm/kfm-telemetry-streams:" + chart.get("appVersion").asText());
  }
}
