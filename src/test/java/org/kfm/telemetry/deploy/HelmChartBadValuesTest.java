package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kfm.telemetry.deploy.HelmChart.noValues;
import static org.kfm.telemetry.deploy.HelmChart.render;
import static org.kfm.telemetry.deploy.HelmChart.values;

import org.junit.jupiter.api.Test;

/**
 * Bad values fail at install time, naming the value to fix: helm template validates values as helm
 * install does, before rendering anything; the schema's message names the value's path (and the
 * value, except for an enum, where it lists the allowed ones), and rules across values fail in
 * templates/validate.yaml.
 */
class HelmChartBadValuesTest {

  @Test
  void shouldRequireTheBootstrapServers() {
    // When / Then
    assertThatThrownBy(() -> render(noValues().set("schemaRegistry.url", "http://registry:8081")))
        .hasMessageContaining("bootstrapServers");
  }

  @Test
  void shouldRejectAnUnknownSecurityProtocolNamingIt() {
    // When / Then: the allowed values are listed
    assertThatThrownBy(() -> render(values().set("kafka.securityProtocol", "SASL_TLS")))
        .hasMessageContaining("securityProtocol")
        .hasMessageContaining("SASL_SSL");
  }

  @Test
  void shouldRejectAnSloAbove100Percent() {
    // When / Then
    assertThatThrownBy(() -> render(values().set("config.health.slo.trace-pct", "150")))
        .hasMessageContaining("trace-pct")
        .hasMessageContaining("150");
  }

  @Test
  void shouldRejectAWindowThatIsNoDuration() {
    // When / Then
    assertThatThrownBy(() -> render(values().set("config.health.window", "1 day")))
        .hasMessageContaining("window")
        .hasMessageContaining("1 day");
  }

  @Test
  void shouldRejectAMisspeltValuesKey() {
    // When / Then
    assertThatThrownBy(() -> render(values().set("kafka.standbyReplica", "2")))
        .hasMessageContaining("standbyReplica");
  }

  @Test
  void shouldRejectSaslWithoutAMechanism() {
    // When / Then
    assertThatThrownBy(() -> render(values().set("kafka.securityProtocol", "SASL_SSL")))
        .hasMessageContaining("mechanism");
  }

  @Test
  void shouldRejectAlertsWithoutASigningKeySecret() {
    // When / Then
    assertThatThrownBy(() -> render(values().set("alertSigning.existingSecret", "")))
        .hasMessageContaining("existingSecret");
  }

  @Test
  void shouldRejectASecretWrittenIntoTheValues() {
    // When / Then
    assertThatThrownBy(
            () -> render(values().set("kafka.extraProperties.sasl\\.jaas\\.config", "x required;")))
        .hasMessageContaining("invalid propertyName")
        .hasMessageContaining("sasl.jaas.config");
    assertThatThrownBy(
            () ->
                render(
                    values()
                        .set("schemaRegistry.extraProperties.basic\\.auth\\.user\\.info", "u:p")))
        .hasMessageContaining("basic.auth.user.info");
  }

  @Test
  void shouldRejectStrimziTopicsWithoutACluster() {
    // When / Then
    assertThatThrownBy(() -> render(values().set("topics.strimzi.enabled", "true")))
        .hasMessageContaining("clusterName");
  }
}
