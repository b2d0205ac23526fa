package org.kfm.telemetry.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a rendered manifest as the API server would: built-in kinds against the Kubernetes API
 * models (client-java's strict JSON validation: an unknown or misspelt field, a missing required
 * one or a wrong type fails); the custom resources this chart renders (Prometheus Operator,
 * Strimzi) against their apiVersion, the required fields and the known fields of their spec.
 */
final class KubernetesTypes {

  /** A model's static validation, which throws on the first unknown or missing field. */
  private interface Validation {
    void validate(com.google.gson.JsonElement json) throws IOException;
  }

  private record BuiltIn(String apiVersion, Validation validation) {}

  private static final Map<String, BuiltIn> BUILT_IN =
      Map.of(
          "ConfigMap", new BuiltIn("v1", V1ConfigMap::validateJsonElement),
          "Secret", new BuiltIn("v1", V1Secret::validateJsonElement),
          "Service", new BuiltIn("v1", V1Service::validateJsonElement),
          "ServiceAccount", new BuiltIn("v1", V1ServiceAccount::validateJsonElement),
          "StatefulSet", new BuiltIn("apps/v1", V1StatefulSet::validateJsonElement),
          "Job", new BuiltIn("batch/v1", V1Job::validateJsonElement),
          "PodDisruptionBudget",
              new BuiltIn("policy/v1", V1PodDisruptionBudget::validateJsonElement),
          "NetworkPolicy",
              new BuiltIn("networking.k8s.io/v1", V1NetworkPolicy::validateJsonElement));

  private KubernetesTypes() {}

  /**
   * Throws an {@link AssertionError} naming the object and the offending field when {@code
   * manifest} is invalid.
   */
  static void assertValid(JsonNode manifest) {
    String kind = manifest.path("kind").asText();
    String where = kind + " " + manifest.at("/metadata/name").asText();
    List<String> problems = new ArrayList<>();
    String name = manifest.at("/metadata/name").asText();
    if (!name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") || name.length() > 253) {
      problems.add("metadata.name \"" + name + "\" is not a DNS subdomain name");
    }
    manifest
        .at("/metadata/labels")
        .forEach(
            v -> {
              if (v.asText().length() > 63) {
                problems.add("label value longer than 63 characters: " + v.asText());
              }
            });
    BuiltIn builtIn = BUILT_IN.get(kind);
    if (builtIn != null) {
      expect(problems, manifest, "apiVersion", builtIn.apiVersion());
      try {
        builtIn.validation().validate(JsonParser.parseString(manifest.toString()));
      } catch (IOException | RuntimeException e) {
        problems.add(e.getMessage());
      }
    } else {
      switch (kind) {
        case "ServiceMonitor" -> serviceMonitor(manifest, problems);
        case "PrometheusRule" -> prometheusRule(manifest, problems);
        case "KafkaTopic" -> kafkaTopic(manifest, problems);
        default ->
            problems.add(
                "unexpected kind (add it to " + KubernetesTypes.class.getSimpleName() + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(
          where + " is not valid: " + problems + "\n" + manifest.toPrettyString());
    }
  }

  private static void serviceMonitor(JsonNode m, List<String> problems) {
    expect(problems, m, "apiVersion", "monitoring.coreos.com/v1");
    JsonNode spec = m.path("spec");
    known(
        problems,
        "spec",
        spec,
        Set.of(
            "selector",
            "endpoints",
            "namespaceSelector",
            "jobLabel",
            "podTargetLabels",
            "targetLabels",
            "sampleLimit"));
    if (!spec.path("selector").isObject()) {
      problems.add("spec.selector is required");
    }
    if (!spec.path("endpoints").isArray() || spec.path("endpoints").isEmpty()) {
      problems.add("spec.endpoints must list at least one endpoint");
    }
    spec.path("endpoints")
        .forEach(
            e -> {
              known(
                  problems,
                  "spec.endpoints[]",
                  e,
                  Set.of(
                      "port",
                      "targetPort",
                      "path",
                      "scheme",
                      "interval",
                      "scrapeTimeout",
                      "honorLabels",
                      "relabelings",
                      "metricRelabelings",
                      "tlsConfig"));
              if (!e.has("port") && !e.has("targetPort")) {
                problems.add("spec.endpoints[] needs a port");
              }
            });
  }

  private static void prometheusRule(JsonNode m, List<String> problems) {
    expect(problems, m, "apiVersion", "monitoring.coreos.com/v1");
    known(problems, "spec", m.path("spec"), Set.of("groups"));
    JsonNode groups = m.at("/spec/groups");
    if (!groups.isArray() || groups.isEmpty()) {
      problems.add("spec.groups must list at least one group");
    }
    groups.forEach(
        g -> {
          known(
              problems,
              "spec.groups[]",
              g,
              Set.of("name", "interval", "rules", "limit", "partial_response_strategy"));
          if (g.path("name").asText().isBlank()) {
            problems.add("spec.groups[].name is required");
          }
          g.path("rules")
              .forEach(
                  r -> {
                    known(
                        problems,
                        "rule",
                        r,
                        Set.of(
                            "alert",
                            "record",
                            "expr",
                            "for",
                            "keep_firing_for",
                            "labels",
                            "annotations"));
                    if (r.path("expr").asText().isBlank() || r.has("alert") == r.has("record")) {
                      problems.add("a rule needs expr and exactly one of alert, record: " + r);
                    }
                  });
        });
  }

  private static void kafkaTopic(JsonNode m, List<String> problems) {
    expect(problems, m, "apiVersion", "kafka.strimzi.io/v1beta2");
    if (m.at("/metadata/labels/strimzi.io~1cluster").asText().isBlank()) {
      problems.add("label strimzi.io/cluster is required");
    }
    JsonNode spec = m.path("spec");
    known(problems, "spec", spec, Set.of("topicName", "partitions", "replicas", "config"));
    if (!spec.path("partitions").isInt() || spec.path("partitions").asInt() < 1) {
      problems.add("spec.partitions must be an integer >= 1");
    }
    if (!spec.path("replicas").isInt()
        || spec.path("replicas").asInt() < 1
        || spec.path("replicas").asInt() > 32767) {
      problems.add("spec.replicas must be an integer in 1..32767");
    }
    if (!spec.path("config").isObject()) {
      problems.add("spec.config must be an object");
    }
  }

  private static void expect(List<String> problems, JsonNode m, String field, String value) {
    if (!value.equals(m.path(field).asText())) {
      problems.add(field + " is \"" + m.path(field).asText() + "\", expected \"" + value + "\"");
    }
  }

  private static void known(
      List<String> problems, String where, JsonNode node, Set<String> fields) {
    node.fieldNames()
        .forEachRemaining(
            f -> {
              if (!fields.contains(f)) {
                problems.add("unknown field " + where + "." + f);
              }
            });
  }
}
