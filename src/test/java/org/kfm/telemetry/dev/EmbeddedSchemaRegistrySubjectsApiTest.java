package org.kfm.telemetry.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.dev.ExampleSchemas.OTHER;
import static org.kfm.telemetry.dev.ExampleSchemas.V1;
import static org.kfm.telemetry.dev.ExampleSchemas.V2;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kfm.telemetry.testing.EmbeddedRegistryApi;

/**
 * The in-memory registry's subjects, versions and schemas by id, over real HTTP, as a Confluent
 * client sees them: registering, listing, looking up, and the content types it accepts.
 */
class EmbeddedSchemaRegistrySubjectsApiTest {

  /** A fresh registry for each test. */
  @RegisterExtension final EmbeddedRegistryApi registry = new EmbeddedRegistryApi();

  @Test
  void shouldAnswerTheRootAndTheSchemaTypes() throws Exception {
    assertThat(registry.call("GET", "/", null).body().toString()).isEqualTo("{}");
    assertThat(registry.call("GET", "/schemas/types", null).body().toString())
        .isEqualTo("[\"AVRO\"]");
  }

  @Test
  void shouldRegisterIdempotentlyAndShareIdsAcrossSubjects() throws Exception {
    // Given / When
    int first = registry.register("a-value", V1).body().path("id").asInt();
    int again = registry.register("a-value", V1).body().path("id").asInt();
    int elsewhere = registry.register("b-value", V1).body().path("id").asInt();
    int second = registry.register("a-value", V2).body().path("id").asInt();

    // Then
    assertThat(first).isEqualTo(1);
    assertThat(again).as("same schema, same subject: same id").isEqualTo(1);
    assertThat(elsewhere).as("same schema, other subject: same id").isEqualTo(1);
    assertThat(second).isEqualTo(2);
    assertThat(registry.get("/subjects").body().toString()).isEqualTo("[\"a-value\",\"b-value\"]");
    assertThat(registry.get("/subjects/a-value/versions").body().toString()).isEqualTo("[1,2]");
    assertThat(registry.get("/subjects/b-value/versions").body().toString()).isEqualTo("[1]");
  }

  @Test
  void shouldServeVersionsByNumberLatestAndMinusOneAndTheRawSchema() throws Exception {
    registry.register("a-value", V1);
    registry.register("a-value", V2);

    JsonNode one = registry.get("/subjects/a-value/versions/1").body();
    assertThat(one.path("subject").asText()).isEqualTo("a-value");
    assertThat(one.path("version").asInt()).isEqualTo(1);
    assertThat(one.path("id").asInt()).isEqualTo(1);
    assertThat(parse(one.path("schema").asText())).isEqualTo(parse(V1));
    assertThat(one.has("schemaType")).as("Confluent leaves schemaType out for Avro").isFalse();
    assertThat(registry.get("/subjects/a-value/versions/latest").body().path("version").asInt())
        .isEqualTo(2);
    assertThat(registry.get("/subjects/a-value/versions/-1").body().path("version").asInt())
        .isEqualTo(2);
    assertThat(parse(registry.get("/subjects/a-value/versions/2/schema").body().toString()))
        .isEqualTo(parse(V2));
    assertThat(registry.get("/subjects/a-value/versions/latest/schema?deleted=false").status())
        .isEqualTo(200);
  }

  @Test
  void shouldLookUpASchemaUnderASubject() throws Exception {
    registry.register("a-value", V1);
    registry.register("a-value", V2);

    JsonNode found = registry.post("/subjects/a-value?normalize=false", V1).body();
    assertThat(found.path("subject").asText()).isEqualTo("a-value");
    assertThat(found.path("version").asInt()).isEqualTo(1);
    assertThat(found.path("id").asInt()).isEqualTo(1);
    assertThat(parse(found.path("schema").asText())).isEqualTo(parse(V1));
    assertThat(registry.post("/subjects/a-value", OTHER).errorCode()).isEqualTo(40403);
    assertThat(registry.post("/subjects/a-value", OTHER).status()).isEqualTo(404);
    assertThat(registry.post("/subjects/none", V1).errorCode()).isEqualTo(40401);
  }

  @Test
  void shouldServeSchemasByIdWithTheirSubjectsAndVersions() throws Exception {
    registry.register("a-value", V1);
    registry.register("b-value", V1);

    assertThat(
            parse(
                registry
                    .get("/schemas/ids/1?fetchMaxId=false&subject=a-value")
                    .body()
                    .path("schema")
                    .asText()))
        .isEqualTo(parse(V1));
    assertThat(registry.get("/schemas/ids/1/versions").body().toString())
        .isEqualTo(
            "[{\"subject\":\"a-value\",\"version\":1},{\"subject\":\"b-value\",\"version\":1}]");
    assertThat(registry.get("/schemas/ids/1/subjects").body().toString())
        .isEqualTo("[\"a-value\",\"b-value\"]");
    assertThat(registry.get("/schemas/ids/7").errorCode()).isEqualTo(40403);
    assertThat(registry.get("/schemas/ids/7/versions").errorCode()).isEqualTo(40403);
    assertThat(registry.get("/schemas/ids/7/subjects").errorCode()).isEqualTo(40403);
    assertThat(registry.get("/schemas/ids/x").errorCode()).isEqualTo(40403);
    assertThat(registry.schema(1)).contains(parse(V1));
    assertThat(registry.schema(2)).isEmpty();
  }

  @Test
  void shouldAcceptJsonOctetStreamAndSchemaRegistryContentTypes() throws Exception {
    for (String type :
        new String[] {
          "application/json",
          "application/octet-stream",
          "application/vnd.schemaregistry.v1+json",
          "application/vnd.schemaregistry+json"
        }) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(registry.url() + "/subjects/t-value/versions?normalize=true"))
                      .header("Content-Type", type)
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              EmbeddedRegistryApi.schemaRequest(V1)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(type).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .contains("application/vnd.schemaregistry.v1+json");
    }
  }

  private static Schema parse(String schema) {
    return new Schema.Parser().parse(schema);
  }
}
