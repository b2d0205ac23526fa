package org.kfm.telemetry.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.dev.ExampleSchemas.V1;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kfm.telemetry.testing.EmbeddedRegistryApi;
import org.kfm.telemetry.testing.EmbeddedRegistryApi.Answer;

/**
 * The in-memory registry's errors, over real HTTP, as a Confluent client sees them: Confluent error
 * codes for missing subjects and versions and bad input, non-Avro schemas and references refused
 * with a message, unknown paths and wrong methods.
 */
class EmbeddedSchemaRegistryErrorsApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A fresh registry for each test. */
  @RegisterExtension final EmbeddedRegistryApi registry = new EmbeddedRegistryApi();

  @Test
  void shouldAnswerConfluentErrorCodesForMissingSubjectsVersionsAndBadInput() throws Exception {
    registry.register("a-value", V1);

    assertThat(registry.get("/subjects/none/versions").errorCode()).isEqualTo(40401);
    assertThat(registry.get("/subjects/none/versions/latest").errorCode()).isEqualTo(40401);
    assertThat(registry.get("/subjects/a-value/versions/9").errorCode()).isEqualTo(40402);
    assertThat(registry.get("/subjects/a-value/versions/9").status()).isEqualTo(404);
    for (String bad : new String[] {"0", "-2", "x", "2147483648"}) {
      Answer answer = registry.get("/subjects/a-value/versions/" + bad);
      assertThat(answer.errorCode()).as(bad).isEqualTo(42202);
      assertThat(answer.status()).isEqualTo(422);
    }
    assertThat(registry.register("x-value", "{not avro").errorCode()).isEqualTo(42201);
    assertThat(registry.register("x-value", "").errorCode()).isEqualTo(42201);
    assertThat(registry.call("POST", "/subjects/x-value/versions", "not json").status())
        .isEqualTo(400);
  }

  @Test
  void shouldRefuseNonAvroSchemasAndReferencesWithAClearMessage() throws Exception {
    Answer protobuf =
        registry.call(
            "POST",
            "/subjects/p-value/versions",
            JSON.createObjectNode()
                .put("schemaType", "PROTOBUF")
                .put("schema", "syntax = \"proto3\";")
                .toString());
    assertThat(protobuf.errorCode()).isEqualTo(42201);
    assertThat(protobuf.body().path("message").asText()).contains("PROTOBUF").contains("Avro");

    var withReference = JSON.createObjectNode().put("schema", V1);
    withReference
        .putArray("references")
        .addObject()
        .put("name", "Other")
        .put("subject", "o")
        .put("version", 1);
    Answer references =
        registry.call("POST", "/subjects/r-value/versions", withReference.toString());
    assertThat(references.errorCode()).isEqualTo(42201);
    assertThat(references.body().path("message").asText()).contains("references");

    var explicitAvro = JSON.createObjectNode().put("schema", V1).put("schemaType", "AVRO");
    explicitAvro.putArray("references");
    assertThat(
            registry
                .call("POST", "/subjects/r-value/versions", explicitAvro.toString())
                .body()
                .path("id")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void shouldAnswer404ForUnknownPathsAnd405ForWrongMethods() throws Exception {
    Answer unknown = registry.get("/nothing/here");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo(404);
    Answer wrongMethod = registry.call("PUT", "/subjects", "{}");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.errorCode()).isEqualTo(405);
    assertThat(registry.call("DELETE", "/schemas/ids/1", null).status()).isEqualTo(405);
  }
}
