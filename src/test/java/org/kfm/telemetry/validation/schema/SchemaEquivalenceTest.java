package org.kfm.telemetry.validation.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.kfm.telemetry.validation.SchemaContract;
import org.kfm.telemetry.validation.Validator;
import org.kfm.telemetry.validation.ValidatorOptions;

/**
 * The compiled contract schemas decide exactly as networknt's json-schema-validator (a maintained
 * draft 2020-12 implementation) does on the same files, and the validator rejects everything the
 * full schema rejects even though some keywords are delegated to semantic rules.
 */
class SchemaEquivalenceTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[] SEEDS = {
    "focus-query",
    "pipeline-run-completed",
    "pipeline-run-started",
    "pipeline-step",
    "policy-decision",
    "stream-checkpoint",
    "template-copy-me",
    "ui-action",
    "wpe-alert"
  };
  private static final List<String> KINDS =
      new ArrayList<>(new TreeSet<>(SchemaContract.KNOWN_KINDS));

  private static final SchemaRegistry REFERENCE =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          b ->
              b.schemaIdResolvers(
                      r ->
                          r.mapPrefix(
                              SchemaContract.ID_PREFIX,
                              "classpath:" + SchemaContract.CLASSPATH_PREFIX))
                  .schemaRegistryConfig(
                      SchemaRegistryConfig.builder().locale(Locale.ENGLISH).build()));
  private static final SchemaCompiler FULL = new SchemaCompiler(SchemaContract::load, Set.of());
  private static final Validator VALIDATOR = new Validator(ValidatorOptions.defaults());

  @Property(tries = 400)
  void shouldAgreeWithTheReferenceValidatorOnMutatedPayloads(
      @ForAll("mutatedPayloads") ObjectNode payload) {
    String id = schemaIdFor(payload);
    Schema reference = REFERENCE.getSchema(SchemaLocation.of(id));
    SchemaNode compiled = FULL.compile(URI.create(id));

    List<Error> expected = reference.validate(payload);
    List<SchemaError> actual = compiled.validate(payload);

    assertThat(actual.isEmpty())
        .as("valid? reference said %s", expected)
        .isEqualTo(expected.isEmpty());
    assertThat(pointers(actual))
        .as("reference said %s", expected)
        .isEqualTo(referencePointers(expected));
    if (!expected.isEmpty()) {
      assertThat(VALIDATOR.validate(bytes(payload)).valid())
          .as("validator must reject what the schema rejects")
          .isFalse();
    }
  }

  @Provide
  Arbitrary<ObjectNode> mutatedPayloads() {
    Arbitrary<String> seed = Arbitraries.of(SEEDS);
    Arbitrary<List<Mutation>> mutations = mutation().list().ofMinSize(0).ofMaxSize(3);
    return Combinators.combine(seed, mutations)
        .as(
            (name, list) -> {
              ObjectNode payload = (ObjectNode) readSeed(name);
              for (Mutation m : list) {
                m.apply(payload);
              }
              return payload;
            });
  }

  private Arbitrary<Mutation> mutation() {
    Arbitrary<Integer> pick = Arbitraries.integers().between(0, 10_000);
    Arbitrary<JsonNode> value =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(5).map(JsonNodeFactory.instance::textNode),
            Arbitraries.of(
                    "",
                    "sha256:" + "a".repeat(64),
                    "2026-01-23T00:00:00Z",
                    "pass",
                    "nope",
                    "ed25519",
                    "00",
                    "4bf92f3577b34da6a3ce929d0e0e4736",
                    "x y",
                    "2.0.0",
                    "a.b",
                    "public",
                    "pipeline.step",
                    "wpe.alert")
                .map(JsonNodeFactory.instance::textNode),
            Arbitraries.integers().between(-5, 5).map(JsonNodeFactory.instance::numberNode),
            Arbitraries.of(1.5, -0.5, 2.0, 250.0).map(JsonNodeFactory.instance::numberNode),
            Arbitraries.of(
                JsonNodeFactory.instance.nullNode(),
                JsonNodeFactory.instance.booleanNode(true),
                JsonNodeFactory.instance.objectNode(),
                JsonNodeFactory.instance.arrayNode()));
    Arbitrary<String> newKey =
        Arbitraries.of(
            "run",
            "run_id",
            "pipeline",
            "correlation",
            "correlation_id",
            "kind",
            "decision",
            "artifacts",
            "type",
            "ref",
            "digest",
            "signature",
            "sig",
            "metrics",
            "x_extra",
            "focus",
            "ui",
            "action",
            "privacy",
            "classification",
            "tags",
            "window_hours",
            "roles");
    return Combinators.combine(pick, value, newKey, Arbitraries.integers().between(0, 2))
        .as((p, v, k, op) -> payload -> mutate(payload, p, v, k, op));
  }

  /** One change to a payload: replace a random value, remove a random member, or add a member. */
  interface Mutation {
    void apply(ObjectNode payload);
  }

  private static void mutate(ObjectNode payload, int pick, JsonNode value, String key, int op) {
    List<JsonNode> containers = new ArrayList<>();
    collect(payload, containers);
    JsonNode container = containers.get(pick % containers.size());
    if (container instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      if (op == 2 || names.isEmpty()) {
        object.set(key, value.deepCopy());
      } else if (op == 1) {
        object.remove(names.get(pick % names.size()));
      } else {
        object.set(names.get(pick % names.size()), value.deepCopy());
      }
    } else if (container instanceof ArrayNode array) {
      if (op == 1 && !array.isEmpty()) {
        array.remove(pick % array.size());
      } else if (!array.isEmpty()) {
        array.set(pick % array.size(), value.deepCopy());
      } else {
        array.add(value.deepCopy());
      }
    }
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      node.forEach(child -> collect(child, out));
    }
  }

  private static String schemaIdFor(JsonNode payload) {
    String kind = payload.path("kind").asText("");
    return SchemaContract.KNOWN_KINDS.contains(kind)
        ? SchemaContract.kindSchemaId(kind)
        : SchemaContract.ID_PREFIX + "telemetry.schema.json";
  }

  private static Set<String> pointers(List<SchemaError> errors) {
    return errors.stream()
        .filter(e -> !e.keyword().equals("anyOf") && !e.keyword().equals("oneOf"))
        .map(SchemaError::pointer)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> referencePointers(List<Error> errors) {
    // networknt reports the failing branches of anyOf; the compiled schema reports the anyOf
    // itself.
    return errors.stream()
        .filter(e -> !String.valueOf(e.getEvaluationPath()).contains("/anyOf/"))
        .filter(e -> !"anyOf".equals(e.getKeyword()) && !"oneOf".equals(e.getKeyword()))
        .map(
            e -> {
              String pointer = e.getInstanceLocation().toString();
              return "required".equals(e.getKeyword()) && e.getProperty() != null
                  ? pointer + "/" + e.getProperty()
                  : pointer;
            })
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static JsonNode readSeed(String name) {
    try (InputStream in =
        SchemaEquivalenceTest.class.getResourceAsStream("/seed-examples/" + name + ".json")) {
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
