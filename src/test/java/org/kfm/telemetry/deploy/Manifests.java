package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The objects {@code helm template} rendered, in order. */
record Manifests(List<JsonNode> all) {

  static Manifests parse(String yaml) {
    try {
      List<JsonNode> docs = new ArrayList<>();
      for (JsonNode doc :
          HelmChart.YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
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

  /**
   * The one object of {@code kind} named {@code name}; fails the test when there is none or more.
   */
  JsonNode one(String kind, String name) {
    List<JsonNode> found =
        ofKind(kind).stream().filter(m -> m.at("/metadata/name").asText().equals(name)).toList();
    assertThat(found).as("%s %s among %s", kind, name, kinds()).hasSize(1);
    return found.get(0);
  }
}
