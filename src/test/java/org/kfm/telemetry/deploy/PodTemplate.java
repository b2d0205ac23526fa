package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the pod template of a rendered workload (StatefulSet, Job): its first container's
 * environment, volumes and mounts.
 */
final class PodTemplate {

  private PodTemplate() {}

  /** The first container's environment entries by name. */
  static Map<String, JsonNode> env(JsonNode workload) {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    workload
        .at("/spec/template/spec/containers/0/env")
        .forEach(e -> env.put(e.get("name").asText(), e));
    return env;
  }

  /**
   * The Secret ({@code name/key}) variable {@code name} comes from; fails the test when it has an
   * inline value.
   */
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
    env(workload)
        .forEach(
            (name, e) -> {
              String value;
              if (e.has("value")) {
                Matcher m = reference.matcher(e.get("value").asText());
                value =
                    m.replaceAll(
                        r -> Matcher.quoteReplacement(env.getOrDefault(r.group(1), r.group())));
              } else if (e.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.name")) {
                value = podName;
              } else if (e.at("/valueFrom/fieldRef/fieldPath")
                  .asText()
                  .equals("metadata.namespace")) {
                value = HelmChart.NAMESPACE;
              } else {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                value = "secret " + ref.get("name").asText() + "/" + ref.get("key").asText();
              }
              env.put(name, value);
            });
    return env;
  }

  /** The pod's volume {@code name}; fails the test when there is none. */
  static JsonNode volume(JsonNode workload, String name) {
    for (JsonNode v : workload.at("/spec/template/spec/volumes")) {
      if (v.get("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError(
        "no volume " + name + " in " + workload.at("/spec/template/spec/volumes"));
  }

  /** The first container's mount paths by volume name. */
  static Map<String, String> mountPaths(JsonNode workload) {
    Map<String, String> mounts = new LinkedHashMap<>();
    workload
        .at("/spec/template/spec/containers/0/volumeMounts")
        .forEach(m -> mounts.put(m.get("name").asText(), m.get("mountPath").asText()));
    return mounts;
  }
}
