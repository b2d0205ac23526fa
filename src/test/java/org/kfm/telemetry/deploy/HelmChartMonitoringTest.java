package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.deploy.HelmChart.FULLNAME;
import static org.kfm.telemetry.deploy.HelmChart.JSON;
import static org.kfm.telemetry.deploy.HelmChart.PRODUCTION;
import static org.kfm.telemetry.deploy.HelmChart.render;
import static org.kfm.telemetry.deploy.HelmChart.values;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The optional resources: left out by default; when enabled, a ServiceMonitor, alert rules and a
 * Grafana dashboard on the service's own metrics, and a NetworkPolicy.
 */
class HelmChartMonitoringTest {

  @Test
  void shouldLeaveOptionalResourcesOutByDefault() {
    // When
    Manifests manifests = render(values());

    // Then
    assertThat(manifests.kinds())
        .doesNotContain("ServiceMonitor", "PrometheusRule", "NetworkPolicy", "KafkaTopic");
    assertThat(manifests.ofKind("ConfigMap"))
        .extracting(c -> c.at("/metadata/name").asText())
        .doesNotContain(FULLNAME + "-dashboard");
  }

  @Test
  void shouldScrapeMetricsWithAServiceMonitorWhenEnabled() {
    // When
    Manifests manifests =
        render(
            values()
                .set("metrics.serviceMonitor.enabled", "true")
                .set("metrics.serviceMonitor.labels.release", "prometheus"));
    JsonNode monitor = manifests.one("ServiceMonitor", FULLNAME);

    // Then: the http Service (not the headless one) on /metrics
    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
    assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
    assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
    JsonNode selector = monitor.at("/spec/selector/matchLabels");
    assertThat(manifests.ofKind("Service"))
        .filteredOn(s -> matches(selector, s.at("/metadata/labels")))
        .extracting(s -> s.at("/metadata/name").asText())
        .containsExactly(FULLNAME);
  }

  @Test
  void shouldAlertOnTheServicesOwnMetricsWhenEnabled() {
    // When
    JsonNode rule =
        render(
                values()
                    .set("metrics.prometheusRule.enabled", "true")
                    .set("metrics.prometheusRule.consumerLag.threshold", "5000"))
            .one("PrometheusRule", FULLNAME);

    // Then: metric names as the service exports them (Micrometer's Prometheus naming)
    Map<String, String> exprs = new LinkedHashMap<>();
    rule.at("/spec/groups/0/rules")
        .forEach(r -> exprs.put(r.path("alert").asText(), r.path("expr").asText()));
    assertThat(exprs)
        .containsKeys("KfmStreamThreadDead", "KfmDeadLetterRateSpike", "KfmConsumerLagHigh");
    assertThat(exprs.get("KfmStreamThreadDead"))
        .contains(
            "kafka_stream_alive_stream_threads{job=\"" + FULLNAME + "\", namespace=\"telemetry\"}")
        .endsWith("< 1");
    assertThat(exprs.get("KfmDeadLetterRateSpike"))
        .contains(
            "kfm_records_total{job=\""
                + FULLNAME
                + "\", namespace=\"telemetry\", outcome=\"dlq\"}");
    assertThat(exprs.get("KfmConsumerLagHigh"))
        .contains("kafka_consumer_fetch_manager_records_lag_max")
        .endsWith("> 5000");
    assertThat(exprs.get("KfmStreamsNotRunning")).contains("kafka_stream_client_state");
    assertThat(exprs.get("KfmStreamThreadBlocked"))
        .contains(
            "kafka_consumer_last_poll_seconds_ago{job=\""
                + FULLNAME
                + "\", namespace=\"telemetry\", client_id=~\".*-StreamThread-[0-9]+-consumer\"}")
        .endsWith(">= 20");
    // Prometheus's own template syntax reaches Prometheus unrendered by Helm
    assertThat(rule.at("/spec/groups/0/rules/0/annotations/summary").asText())
        .contains("{{ $labels.pod }}");
  }

  @Test
  void shouldShipAGrafanaDashboardWhenEnabled() throws IOException {
    // When
    JsonNode configMap =
        render(values().set("metrics.dashboard.enabled", "true"))
            .one("ConfigMap", FULLNAME + "-dashboard");

    // Then: a dashboard the Grafana sidecar picks up, with the panels operators asked for
    assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    JsonNode dashboard = JSON.readTree(configMap.at("/data/kfm-telemetry-streams.json").asText());
    List<String> titles = new ArrayList<>();
    dashboard.get("panels").forEach(p -> titles.add(p.get("title").asText()));
    assertThat(titles)
        .contains(
            "Throughput by outcome",
            "Dead-lettered records by rule",
            "Trace coverage per pipeline",
            "Energy-report coverage per pipeline",
            "Firing alerts",
            "Signed wpe.alert events by rule and status");
    assertThat(dashboard.get("panels").toString())
        .contains(
            "kfm_records_total",
            "kfm_dlq_rules_total",
            "kfm_health_coverage_pct",
            "kfm_alerts_total");
  }

  @Test
  void shouldRestrictTrafficWithANetworkPolicyWhenEnabled() {
    // When
    JsonNode policy = render(values().file(PRODUCTION)).one("NetworkPolicy", FULLNAME);

    // Then: ingress to the HTTP port only; egress to DNS, the peers and the listed Kafka/registry
    assertThat(policy.at("/spec/policyTypes"))
        .extracting(JsonNode::asText)
        .containsExactly("Ingress", "Egress");
    assertThat(policy.at("/spec/ingress/0/ports/0/port").asText()).isEqualTo("http");
    assertThat(
            policy
                .at(
                    "/spec/ingress/0/from/1/namespaceSelector/matchLabels/kubernetes.io~1metadata.name")
                .asText())
        .isEqualTo("monitoring");
    assertThat(policy.at("/spec/egress/0/ports/0/port").asInt()).isEqualTo(53);
    assertThat(policy.at("/spec/egress/2/to/0/ipBlock/cidr").asText()).isEqualTo("10.20.0.0/16");
  }

  private static boolean matches(JsonNode selector, JsonNode labels) {
    Set<String> keys = new HashSet<>();
    selector.fieldNames().forEachRemaining(keys::add);
    return keys.stream().allMatch(k -> selector.get(k).equals(labels.get(k)));
  }
}
