package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Compose file as a JSON tree, with readers for the service settings the tests look at. Reads the
 * short and long forms Compose accepts (environment as a map or a list, ports and volumes as
 * strings). The constants name the repository's docker-compose.yml and its services, which the
 * ComposeFile*Test classes check.
 */
record ComposeFile(ObjectNode tree) {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
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

  /** A volume or bind mount of a service: source (volume name or host path), target, read-only. */
  record Mount(String source, String target, boolean readOnly) {}

  /** A published port: host port and container port. */
  record Port(int published, int target) {}

  static ComposeFile read(Path file) {
    try {
      return new ComposeFile((ObjectNode) YAML.readTree(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> serviceNames() {
    List<String> names = new ArrayList<>();
    tree.path("services").fieldNames().forEachRemaining(names::add);
    return names;
  }

  JsonNode service(String name) {
    JsonNode s = tree.path("services").path(name);
    if (s.isMissingNode()) {
      throw new AssertionError("docker-compose.yml has no service " + name);
    }
    return s;
  }

  Map<String, String> environment(String service) {
    JsonNode env = service(service).path("environment");
    Map<String, String> out = new LinkedHashMap<>();
    if (env.isObject()) {
      env.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    } else {
      env.forEach(
          item -> {
            String[] kv = item.asText().split("=", 2);
            out.put(kv[0], kv.length > 1 ? kv[1] : "");
          });
    }
    return out;
  }

  /** {@code depends_on}: each dependency with its condition. */
  Map<String, String> dependsOn(String service) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode deps = service(service).path("depends_on");
    if (deps.isArray()) {
      deps.forEach(d -> out.put(d.asText(), "service_started"));
    } else {
      deps.properties()
          .forEach(
              e -> out.put(e.getKey(), e.getValue().path("condition").asText("service_started")));
    }
    return out;
  }

  /** A setting that is a string or a list of strings, as a list. */
  List<String> strings(String service, String key) {
    return textsOf(service(service).path(key));
  }

  List<Port> ports(String service) {
    return strings(service, "ports").stream()
        .map(
            p -> {
              String[] parts = p.split(":");
              return new Port(
                  Integer.parseInt(parts[parts.length - 2]),
                  Integer.parseInt(parts[parts.length - 1]));
            })
        .toList();
  }

  List<Mount> mounts(String service) {
    return strings(service, "volumes").stream()
        .map(
            v -> {
              String[] parts = v.split(":");
              return new Mount(parts[0], parts[1], parts.length > 2 && parts[2].contains("ro"));
            })
        .toList();
  }

  /** The arguments the image's entrypoint gets: the service's {@code command}. */
  List<String> command(String service) {
    return strings(service, "command");
  }

  /** The healthcheck's test as one string (CMD / CMD-SHELL and the arguments). */
  String healthcheck(String service) {
    return String.join(" ", textsOf(service(service).path("healthcheck").path("test")));
  }

  /**
   * The keys job's script after {@code exec}: {@code java -jar JAR keys generate ...} (the job runs
   * {@code bash -c "test -f KEY || exec java -jar ..."}).
   */
  List<String> keysJobJavaArgs() {
    String script = String.join(" ", command(KEYS_JOB));
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

  private static List<String> textsOf(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (!node.isMissingNode()) {
      out.add(node.asText());
    }
    return out;
  }
}
