package org.kfm.telemetry.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kfm.telemetry.serde.CompatibilityLevel;
import org.kfm.telemetry.testing.EmbeddedRegistryApi;
import org.kfm.telemetry.testing.EmbeddedRegistryApi.Answer;

/**
 * The registry's compatibility levels on real Avro schema evolutions: first one earlier schema and
 * one candidate (the level's direction), then a chain of three where only the transitive levels
 * look past the latest version, registered over HTTP.
 */
class EmbeddedSchemaRegistryCompatibilityTest {

  private static final Map<String, String> SCHEMAS =
      Map.of(
          "A", record("{\"name\":\"a\",\"type\":\"int\"}"),
          "A_LONG", record("{\"name\":\"a\",\"type\":\"long\"}"),
          "AB_DEFAULT",
              record(
                  "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}"),
          "AB", record("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\"}"),
          "C", record("{\"name\":\"c\",\"type\":\"string\"}"));

  /** One registry for the class: each chain registers under a subject of its own. */
  @RegisterExtension static final EmbeddedRegistryApi REGISTRY = new EmbeddedRegistryApi();

  private static int subjects;

  @ParameterizedTest(name = "{0} -> {1}: backward {2}, forward {3}, full {4}")
  @CsvSource({
    // earlier, candidate, BACKWARD (new reads old), FORWARD (old reads new), FULL
    "A,          AB_DEFAULT, true,  true,  true", // add a field with a default
    "A,          AB,         false, true,  false", // add a field without a default
    "AB,         A,          true,  false, false", // remove a field that had no default
    "AB_DEFAULT, A,          true,  true,  true", // remove a field that had a default
    "A,          A_LONG,     true,  false, false", // widen int to long (Avro promotes int to long)
    "A,          C,          false, false, false", // replace the only field
  })
  void shouldJudgeOneEvolutionInTheDirectionOfEachLevel(
      String earlier, String candidate, boolean backward, boolean forward, boolean full) {
    List<Schema> before = List.of(parse(SCHEMAS.get(earlier)));
    Schema next = parse(SCHEMAS.get(candidate));

    assertThat(CompatibilityLevel.BACKWARD.problems(next, before).isEmpty()).isEqualTo(backward);
    assertThat(CompatibilityLevel.BACKWARD_TRANSITIVE.problems(next, before).isEmpty())
        .isEqualTo(backward);
    assertThat(CompatibilityLevel.FORWARD.problems(next, before).isEmpty()).isEqualTo(forward);
    assertThat(CompatibilityLevel.FORWARD_TRANSITIVE.problems(next, before).isEmpty())
        .isEqualTo(forward);
    assertThat(CompatibilityLevel.FULL.problems(next, before).isEmpty()).isEqualTo(full);
    assertThat(CompatibilityLevel.FULL_TRANSITIVE.problems(next, before).isEmpty()).isEqualTo(full);
    assertThat(CompatibilityLevel.NONE.problems(next, before)).isEmpty();
  }

  @ParameterizedTest(name = "{0}: {1} -> {2} -> {3} registers: {4}")
  @CsvSource({
    // v3 reads v2 data (b present) but not v1 data (b missing, no default)
    "BACKWARD,            A,  AB_DEFAULT, AB, true",
    "BACKWARD_TRANSITIVE, A,  AB_DEFAULT, AB, false",
    // v2 reads v3 data (b defaults) but v1 cannot (b has no default there)
    "FORWARD,             AB, AB_DEFAULT, A,  true",
    "FORWARD_TRANSITIVE,  AB, AB_DEFAULT, A,  false",
    // v3 and v2 read each other; v3 cannot read v1 data
    "FULL,                A,  AB_DEFAULT, AB, true",
    "FULL_TRANSITIVE,     A,  AB_DEFAULT, AB, false",
    "NONE,                A,  C,          AB, true",
  })
  void shouldLookPastTheLatestVersionOnlyAtTransitiveLevels(
      String level, String v1, String v2, String v3, boolean registers) throws Exception {
    // Given a subject at this level with two versions
    String subject = "chain-" + (++subjects) + "-value";
    assertThat(
            REGISTRY
                .call("PUT", "/config/" + subject, "{\"compatibility\":\"" + level + "\"}")
                .status())
        .isEqualTo(200);
    assertThat(register(subject, v1).status()).isEqualTo(200);
    assertThat(register(subject, v2).status()).isEqualTo(200);

    // When a third one is registered
    Answer third = register(subject, v3);

    // Then
    assertThat(third.status()).as(third.body().toString()).isEqualTo(registers ? 200 : 409);
    if (!registers) {
      assertThat(third.body().path("error_code").asInt()).isEqualTo(409);
      assertThat(third.body().path("message").asText()).contains(level);
    }
  }

  private static Answer register(String subject, String schema) throws Exception {
    return REGISTRY.register(subject, SCHEMAS.get(schema));
  }

  private static String record(String fields) {
    return "{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}";
  }

  private static Schema parse(String schema) {
    return new Schema.Parser().parse(schema);
  }
}
