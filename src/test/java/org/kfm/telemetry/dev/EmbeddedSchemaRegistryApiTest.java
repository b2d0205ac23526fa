package org.kfm.telemetry.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.serde.SchemaRegistryClient;

/**
 * Every endpoint and error code of the in-memory registry, over real HTTP, as a Confluent client
 * sees them.
 */
class EmbeddedSchemaRegistryApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String V1 =
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";
  static final String V2 =
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
          + "{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}]}";
  static final String OTHER =
      "{\"type\":\"record\",\"name\":\"Other\",\"fields\":[{\"name\":\"x\",\"type\":\"long\"}]}";

  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedSchemaRegistry registry;

  /** A status and a JSON body. */
  record Answer(int status, JsonNode body) {
    int errorCode() {
      return body.path("error_code").asInt();
    }
  }

  @BeforeEach
  void start() throws Exception {
    registry = EmbeddedSchemaRegistry.start(0);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void shouldAnswerTheRootAndTheSchemaTypes() throws Exception {
    assertThat(call("GET", "/", null).body().toString()).isEqualTo("{}");
    assertThat(call("GET", "/schemas/types", null).body().toString()).isEqualTo("[\"AVRO\"]");
  }

  @Test
  void shouldRegisterIdempotentlyAndShareIdsAcrossSubjects() throws Exception {
    // Given / When
    int first = register("a-value", V1).body().path("id").asInt();
    int again = register("a-value", V1).body().path("id").asInt();
    int elsewhere = register("b-value", V1).body().path("id").asInt();
    int second = register("a-value", V2).body().path("id").asInt();

    // Then
    assertThat(first).isEqualTo(1);
    assertThat(again).as("same schema, same subject: same id").isEqualTo(1);
    assertThat(elsewhere).as("same schema, other subject: same id").isEqualTo(1);
    assertThat(second).isEqualTo(2);
    assertThat(get("/subjects").body().toString()).isEqualTo("[\"a-value\",\"b-value\"]");
    assertThat(get("/subjects/a-value/versions").body().toString()).isEqualTo("[1,2]");
    assertThat(get("/subjects/b-value/versions").body().toString()).isEqualTo("[1]");
  }

  @Test
  void shouldServeVersionsByNumberLatestAndMinusOneAndTheRawSchema() throws Exception {
    register("a-value", V1);
    register("a-value", V2);

    JsonNode one = get("/subjects/a-value/versions/1").body();
    assertThat(one.path("subject").asText()).isEqualTo("a-value");
    assertThat(one.path("version").asInt()).isEqualTo(1);
    assertThat(one.path("id").asInt()).isEqualTo(1);
    assertThat(parse(one.path("schema").asText())).isEqualTo(parse(V1));
    assertThat(one.has("schemaType")).as("Confluent leaves schemaType out for Avro").isFalse();
    assertThat(get("/subjects/a-value/versions/latest").body().path("version").asInt())
        .isEqualTo(2);
    assertThat(get("/subjects/a-value/versions/-1").body().path("version").asInt()).isEqualTo(2);
    assertThat(parse(get("/subjects/a-value/versions/2/schema").body().toString()))
        .isEqualTo(parse(V2));
    assertThat(get("/subjects/a-value/versions/latest/schema?deleted=false").status())
        .isEqualTo(200);
  }

  @Test
  void shouldLookUpASchemaUnderASubject() throws Exception {
    register("a-value", V1);
    register("a-value", V2);

    JsonNode found = post("/subjects/a-value?normalize=false", V1).body();
    assertThat(found.path("subject").asText()).isEqualTo("a-value");
    assertThat(found.path("version").asInt()).isEqualTo(1);
    assertThat(found.path("id").asInt()).isEqualTo(1);
    assertThat(parse(found.path("schema").asText())).isEqualTo(parse(V1));
    assertThat(post("/subjects/a-value", OTHER).errorCode()).isEqualTo(40403);
    assertThat(post("/subjects/a-value", OTHER).status()).isEqualTo(404);
    assertThat(post("/subjects/none", V1).errorCode()).isEqualTo(40401);
  }

  @Test
  void shouldServeSchemasByIdWithTheirSubjectsAndVersions() throws Exception {
    register("a-value", V1);
    register("b-value", V1);

    assertThat(
            parse(
                get("/schemas/ids/1?fetchMaxId=false&subject=a-value")
                    .body()
                    .path("schema")
                    .asText()))
        .isEqualTo(parse(V1));
    assertThat(get("/schemas/ids/1/versions").body().toString())
        .isEqualTo(
            "[{\"subject\":\"a-value\",\"version\":1},{\"subject\":\"b-value\",\"version\":1}]");
    assertThat(get("/schemas/ids/1/subjects").body().toString())
        .isEqualTo("[\"a-value\",\"b-value\"]");
    assertThat(get("/schemas/ids/7").errorCode()).isEqualTo(40403);
    assertThat(get("/schemas/ids/7/versions").errorCode()).isEqualTo(40403);
    assertThat(get("/schemas/ids/7/subjects").errorCode()).isEqualTo(40403);
    assertThat(get("/schemas/ids/x").errorCode()).isEqualTo(40403);
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
          http.send(
              HttpRequest.newBuilder(
                      URI.create(registry.url() + "/subjects/t-value/versions?normalize=true"))
                  .header("Content-Type", type)
                  .POST(HttpRequest.BodyPublishers.ofString(body(V1)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(type).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .contains("application/vnd.schemaregistry.v1+json");
    }
  }

  @Test
  void shouldAnswerConfluentErrorCodesForMissingSubjectsVersionsAndBadInput() throws Exception {
    register("a-value", V1);

    assertThat(get("/subjects/none/versions").errorCode()).isEqualTo(40401);
    assertThat(get("/subjects/none/versions/latest").errorCode()).isEqualTo(40401);
    assertThat(get("/subjects/a-value/versions/9").errorCode()).isEqualTo(40402);
    assertThat(get("/subjects/a-value/versions/9").status()).isEqualTo(404);
    for (String bad : new String[] {"0", "-2", "x", "2147483648"}) {
      Answer answer = get("/subjects/a-value/versions/" + bad);
      assertThat(answer.errorCode()).as(bad).isEqualTo(42202);
      assertThat(answer.status()).isEqualTo(422);
    }
    assertThat(register("x-value", "{not avro").errorCode()).isEqualTo(42201);
    assertThat(register("x-value", "").errorCode()).isEqualTo(42201);
    assertThat(call("POST", "/subjects/x-value/versions", "not json").status()).isEqualTo(400);
  }

  @Test
  void shouldRefuseNonAvroSchemasAndReferencesWithAClearMessage() throws Exception {
    Answer protobuf =
        call(
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
    Answer references = call("POST", "/subjects/r-value/versions", withReference.toString());
    assertThat(references.errorCode()).isEqualTo(42201);
    assertThat(references.body().path("message").asText()).contains("references");

    var explicitAvro = JSON.createObjectNode().put("schema", V1).put("schemaType", "AVRO");
    explicitAvro.putArray("references");
    assertThat(
            call("POST", "/subjects/r-value/versions", explicitAvro.toString())
                .body()
                .path("id")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void shouldAnswer404ForUnknownPathsAnd405ForWrongMethods() throws Exception {
    Answer unknown = get("/nothing/here");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo(404);
    Answer wrongMethod = call("PUT", "/subjects", "{}");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.errorCode()).isEqualTo(405);
    assertThat(call("DELETE", "/schemas/ids/1", null).status()).isEqualTo(405);
  }

  @Test
  void shouldKeepGlobalAndSubjectCompatibilityConfigs() throws Exception {
    assertThat(get("/config").body().toString()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    assertThat(call("PUT", "/config", "{\"compatibility\":\"FULL\"}").body().toString())
        .isEqualTo("{\"compatibility\":\"FULL\"}");
    assertThat(get("/config").body().path("compatibilityLevel").asText()).isEqualTo("FULL");

    Answer notConfigured = get("/config/a-value");
    assertThat(notConfigured.errorCode()).isEqualTo(40408);
    assertThat(notConfigured.status()).isEqualTo(404);
    assertThat(
            get("/config/a-value?defaultToGlobal=true").body().path("compatibilityLevel").asText())
        .isEqualTo("FULL");
    assertThat(call("PUT", "/config/a-value", "{\"compatibility\":\"none\"}").body().toString())
        .isEqualTo("{\"compatibility\":\"NONE\"}");
    assertThat(get("/config/a-value").body().path("compatibilityLevel").asText()).isEqualTo("NONE");

    Answer invalid = call("PUT", "/config/a-value", "{\"compatibility\":\"SIDEWAYS\"}");
    assertThat(invalid.errorCode()).isEqualTo(42203);
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(call("PUT", "/config", "{}").errorCode()).isEqualTo(42203);

    assertThat(call("DELETE", "/config/a-value", null).body().path("compatibilityLevel").asText())
        .isEqualTo("NONE");
    assertThat(get("/config/a-value").errorCode()).isEqualTo(40408);
    assertThat(call("DELETE", "/config/a-value", null).errorCode()).isEqualTo(40408);
    assertThat(call("DELETE", "/config", null).body().path("compatibilityLevel").asText())
        .isEqualTo("FULL");
    assertThat(get("/config").body().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
  }

  @Test
  void shouldSoftDeleteThenPermanentlyDeleteASubject() throws Exception {
    // Given
    register("a-value", V1);
    register("a-value", V2);
    register("b-value", V1);

    // When soft-deleted
    assertThat(call("DELETE", "/subjects/a-value?permanent=false", null).body().toString())
        .isEqualTo("[1,2]");

    // Then it is gone from the listings, its ids stay readable, a second soft delete is 40404
    assertThat(get("/subjects").body().toString()).isEqualTo("[\"b-value\"]");
    assertThat(get("/subjects?deleted=true").body().toString())
        .isEqualTo("[\"a-value\",\"b-value\"]");
    assertThat(get("/subjects/a-value/versions").errorCode()).isEqualTo(40401);
    assertThat(get("/subjects/a-value/versions?deleted=true").body().toString()).isEqualTo("[1,2]");
    assertThat(get("/subjects/a-value/versions/1?deleted=true").body().path("id").asInt())
        .isEqualTo(1);
    assertThat(get("/schemas/ids/2").status()).isEqualTo(200);
    assertThat(get("/schemas/ids/1/versions").body().toString())
        .isEqualTo("[{\"subject\":\"b-value\",\"version\":1}]");
    assertThat(call("DELETE", "/subjects/a-value", null).errorCode()).isEqualTo(40404);

    // When permanently deleted
    assertThat(call("DELETE", "/subjects/a-value?permanent=true", null).body().toString())
        .isEqualTo("[1,2]");

    // Then nothing is left of it; schema 2 (only a-value had it) is gone, schema 1 (b-value) stays
    assertThat(get("/subjects?deleted=true").body().toString()).isEqualTo("[\"b-value\"]");
    assertThat(call("DELETE", "/subjects/a-value", null).errorCode()).isEqualTo(40401);
    assertThat(get("/schemas/ids/2").errorCode()).isEqualTo(40403);
    assertThat(get("/schemas/ids/1").status()).isEqualTo(200);
    assertThat(call("DELETE", "/subjects/b-value?permanent=true", null).errorCode())
        .isEqualTo(40405);

    // and the subject starts again at version 1; a new schema gets a new id
    assertThat(register("a-value", OTHER).body().path("id").asInt()).isEqualTo(3);
    assertThat(get("/subjects/a-value/versions").body().toString()).isEqualTo("[1]");
  }

  @Test
  void shouldSoftDeleteOneVersionKeepingItsNumberTaken() throws Exception {
    register("a-value", V1);
    register("a-value", V2);

    assertThat(call("DELETE", "/subjects/a-value/versions/2", null).body().asInt()).isEqualTo(2);
    assertThat(get("/subjects/a-value/versions").body().toString()).isEqualTo("[1]");
    assertThat(get("/subjects/a-value/versions/2").errorCode()).isEqualTo(40402);
    assertThat(get("/subjects/a-value/versions/latest").body().path("version").asInt())
        .isEqualTo(1);
    assertThat(call("DELETE", "/subjects/a-value/versions/2", null).errorCode()).isEqualTo(40406);
    assertThat(call("DELETE", "/subjects/a-value/versions/1?permanent=true", null).errorCode())
        .isEqualTo(40407);
    assertThat(call("DELETE", "/subjects/a-value/versions/9", null).errorCode()).isEqualTo(40402);
    assertThat(call("DELETE", "/subjects/none/versions/1", null).errorCode()).isEqualTo(40401);
    assertThat(call("DELETE", "/subjects/a-value/versions/0", null).errorCode()).isEqualTo(42202);

    // re-registering the deleted schema makes a new version with the same id
    assertThat(register("a-value", V2).body().path("id").asInt()).isEqualTo(2);
    assertThat(get("/subjects/a-value/versions").body().toString()).isEqualTo("[1,3]");
    assertThat(call("DELETE", "/subjects/a-value/versions/2?permanent=true", null).body().asInt())
        .isEqualTo(2);
    assertThat(get("/subjects/a-value/versions?deleted=true").body().toString()).isEqualTo("[1,3]");
  }

  @Test
  void shouldCheckCompatibilityAgainstAVersionWithVerboseMessages() throws Exception {
    register("a-value", V1);
    String breaking =
        "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"c\",\"type\":\"string\"}]}";

    assertThat(post("/compatibility/subjects/a-value/versions/latest", V2).body().toString())
        .isEqualTo("{\"is_compatible\":true}");
    assertThat(
            post("/compatibility/subjects/a-value/versions/1", breaking)
                .body()
                .path("is_compatible")
                .asBoolean())
        .isFalse();
    JsonNode verbose =
        post("/compatibility/subjects/a-value/versions/latest?verbose=true", breaking).body();
    assertThat(verbose.path("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.path("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(
            post("/compatibility/subjects/a-value/versions", V2)
                .body()
                .path("is_compatible")
                .asBoolean())
        .isTrue();
    assertThat(
            post("/compatibility/subjects/new-value/versions/latest", breaking)
                .body()
                .path("is_compatible")
                .asBoolean())
        .as("no version yet: anything goes")
        .isTrue();
    assertThat(post("/compatibility/subjects/a-value/versions/5", V2).errorCode()).isEqualTo(40402);
    assertThat(post("/compatibility/subjects/a-value/versions/zero", V2).errorCode())
        .isEqualTo(42202);
    assertThat(post("/compatibility/subjects/a-value/versions/latest", "{bad").errorCode())
        .isEqualTo(42201);
  }

  @Test
  void shouldRefuseAnIncompatibleRegistrationWith409AndAMessage() throws Exception {
    register("a-value", V1);
    String breaking =
        "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"c\",\"type\":\"string\"}]}";

    Answer refused = register("a-value", breaking);

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo(409);
    assertThat(refused.body().path("message").asText())
        .contains("incompatible")
        .contains("a-value")
        .contains("BACKWARD");
    assertThat(get("/subjects/a-value/versions").body().toString()).isEqualTo("[1]");
  }

  private Answer register(String subject, String schema) throws Exception {
    return post("/subjects/" + subject + "/versions", schema);
  }

  private Answer get(String path) throws Exception {
    return call("GET", path, null);
  }

  private Answer post(String path, String schema) throws Exception {
    return call("POST", path, body(schema));
  }

  private static String body(String schema) {
    return JSON.createObjectNode().put("schema", schema).toString();
  }

  private static Schema parse(String schema) {
    return new Schema.Parser().parse(schema);
  }

  private Answer call(String method, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(registry.url() + path))
            .header("Content-Type", SchemaRegistryClient.CONTENT_TYPE)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), JSON.readTree(response.body()));
  }
}
