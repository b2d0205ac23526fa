package org.kfm.telemetry.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The Helm chart {@code helm/kfm-telemetry-streams} as the HelmChart tests render it, with {@code
 * helm template kfm -n telemetry} (helm-java's native Helm): each set of values is rendered once
 * per JVM, and every test gets its own parsed copy of the output.
 */
final class HelmChart {

  static final Path CHART = Path.of("helm", "kfm-telemetry-streams");
  static final Path PRODUCTION = CHART.resolve("examples/values-production.yaml");
  static final String RELEASE = "kfm";

  /**
   * A supported cluster version (helm template's default, v1.20, is older than the chart's
   * kubeVersion).
   */
  static final String KUBE_VERSION = "v1.31.0";

  static final String NAMESPACE = "telemetry";
  static final String FULLNAME = "kfm-kfm-telemetry-streams";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * helm-java's {@code template} returns the release manifest only, without hooks (the topics Job
   * and its ConfigMap). The tests render a copy of the chart whose hook annotations are disguised,
   * so that Helm renders the hooks as ordinary objects, and turn the annotations back in the
   * output.
   */
  static final String HOOK = "helm.sh/hook";

  static final String DISGUISED_HOOK = "kfm-test.invalid/hook";

  /**
   * Rendered output by values; a failed render is not kept, so a test expecting the failure sees
   * it.
   */
  private static final Map<Values, String> RENDERED = new ConcurrentHashMap<>();

  private HelmChart() {}

  /**
   * What to render: the copy with hooks disguised or the real chart, the release name, values files
   * in order and {@code --set} values.
   */
  record Values(
      boolean hooksDisguised, String release, List<Path> files, Map<String, String> sets) {

    Values {
      files = List.copyOf(files);
      sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets));
    }

    /** Adds a values file, which wins over the earlier ones. */
    Values file(Path file) {
      List<Path> more = new ArrayList<>(files);
      more.add(file);
      return new Values(hooksDisguised, release, more, sets);
    }

    /** Adds a {@code --set name=value}. */
    Values set(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(sets);
      more.put(name, value);
      return new Values(hooksDisguised, release, files, more);
    }

    /** Renders as release {@code name} instead of {@value HelmChart#RELEASE}. */
    Values release(String name) {
      return new Values(hooksDisguised, name, files, sets);
    }
  }

  /**
   * The minimum values an installation needs (the Kafka cluster and the registry), hooks as
   * objects.
   */
  static Values values() {
    return new Values(true, RELEASE, List.of(Copy.MINIMUM_VALUES), Map.of());
  }

  /** No values but the chart's own, hooks as objects. */
  static Values noValues() {
    return new Values(true, RELEASE, List.of(), Map.of());
  }

  /**
   * The real chart, whose hooks {@code helm template} leaves out of the release manifest as Helm
   * does.
   */
  static Values realChart() {
    return new Values(false, RELEASE, List.of(), Map.of());
  }

  /** The chart rendered with {@code values}. */
  static Manifests render(Values values) {
    return Manifests.parse(RENDERED.computeIfAbsent(values, HelmChart::template));
  }

  private static String template(Values values) {
    TemplateCommand command =
        new Helm(values.hooksDisguised() ? Copy.CHART : CHART)
            .template()
            .withName(values.release())
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    for (Path file : values.files()) {
      command = command.withValuesFile(file);
    }
    for (Map.Entry<String, String> set : values.sets().entrySet()) {
      command = command.set(set.getKey(), set.getValue());
    }
    return command.call().replace(DISGUISED_HOOK, HOOK);
  }

  /**
   * The copy of the chart with hooks disguised, and the minimum values file; made once, deleted at
   * exit.
   */
  private static final class Copy {
    static final Path DIR = temporaryDirectory();
    static final Path CHART = copyWithHooksDisguised(DIR.resolve("kfm-telemetry-streams"));
    static final Path MINIMUM_VALUES =
        write(
            DIR.resolve("values-minimum.yaml"),
            """
        kafka:
          bootstrapServers: kafka:9092
        schemaRegistry:
          url: http://registry:8081
        """);

    private static Path temporaryDirectory() {
      try {
        Path dir = Files.createTempDirectory("kfm-helm-chart-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static Path copyWithHooksDisguised(Path renderable) {
      try (Stream<Path> files = Files.walk(HelmChart.CHART)) {
        for (Path file : files.toList()) {
          Path copy = renderable.resolve(HelmChart.CHART.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(copy);
          } else if (file.startsWith(HelmChart.CHART.resolve("templates"))) {
            Files.writeString(copy, Files.readString(file).replace(HOOK, DISGUISED_HOOK));
          } else {
            Files.copy(file, copy);
          }
        }
        return renderable;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static Path write(Path file, String text) {
      try {
        return Files.writeString(file, text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static void delete(Path dir) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        // best effort at exit: the directory is in the system's temporary directory
      }
    }
  }
}
