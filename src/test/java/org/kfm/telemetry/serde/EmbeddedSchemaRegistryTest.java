package org.kfm.telemetry.serde;

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

/** The embedded registry over plain HTTP, as any Confluent-compatible client sees it. */
class EmbeddedSchemaRegistryTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String V1 = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";
  private static final String V2_BACKWARD = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\","
      + "\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}]}";
  private static final String V3_BREAKING = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"c\","
      + "\"type\":\"string\"}]}";

  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedSchemaRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = EmbeddedSchemaRegistry.start(0);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void shouldRegisterBackwardCompatibleVersionsAndRefuseABreakingOneWith409() throws Exception {
    assertThat(post("/subjects/t-value/versions", V1).path("id").asInt()).isEqualTo(1);
    assertThat(post("/subjects/t-value/versions", V1).path("id").asInt()).as("same schema, same id").isEqualTo(1);
    assertThat(post("/subjects/t-value/versions", V2_BACKWARD).path("id").asInt()).isEqualTo(2);
    assertThat(post("/subjects/t-value/versions", V3_BREAKING).path("error_code").asInt()).isEqualTo(409);

    assertThat(get("/subjects").toString()).isEqualTo("[\"t-value\"]");
    assertThat(get("/subjects/t-value/versions").toString()).isEqualTo("[1,2]");
    assertThat(get("/subjects/t-value/versions/latest").path("version").asInt()).isEqualTo(2);
    assertThat(new Schema.Parser().parse(get("/schemas/ids/1").path("schema").asText()))
        .isEqualTo(new Schema.Parser().parse(V1));
    assertThat(registry.schema(2)).contains(new Schema.Parser().parse(V2_BACKWARD));
  }

  @Test
  void shouldAnswerConfluentErrorCodesForUnknownIdsSubjectsAndNonAvroSchemas() throws Exception {
    assertThat(get("/schemas/ids/7").path("error_code").asInt()).isEqualTo(40403);
    assertThat(get("/subjects/none/versions/latest").path("error_code").asInt()).isEqualTo(40401);
    JsonNode protobuf = send("POST", "/subjects/p-value/versions",
        JSON.createObjectNode().put("schemaType", "PROTOBUF").put("schema", "syntax = \"proto3\";").toString());
    assertThat(protobuf.path("error_code").asInt()).isEqualTo(42201);
    assertThat(post("/subjects/x-value/versions", "{not avro").path("error_code").asInt()).isEqualTo(42201);
  }

  private JsonNode get(String path) throws Exception {
    return send("GET", path, null);
  }

  private JsonNode post(String path, String schema) throws Exception {
    return send("POST", path, JSON.createObjectNode().put("schema", schema).toString());
  }

  private JsonNode send(String method, String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(registry.url() + path))
        .header("Content-Type", RegistryTransport.CONTENT_TYPE)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }
}
