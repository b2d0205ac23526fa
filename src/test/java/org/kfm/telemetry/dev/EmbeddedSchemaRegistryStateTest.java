package org.kfm.telemetry.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.serde.CompatibilityLevel;

/**
 * The registry's state as rebuilt from {@code _schemas} records written by Confluent's own registry
 * (older and newer record shapes, records it does not use), and its refusal to answer what it could
 * not store.
 */
class EmbeddedSchemaRegistryStateTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldRebuildFromConfluentRecordsOfEveryVintageSkippingWhatItDoesNotUse() {
    // Given records as Confluent registries of several versions write them
    RegistryState state = new RegistryState();
    String[][] topic = {
      {"{\"keytype\":\"NOOP\",\"magic\":0}", null},
      {
        "{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}", "{\"compatibilityLevel\":\"FULL\"}"
      },
      {
        "{\"keytype\":\"SCHEMA\",\"subject\":\"a-value\",\"version\":1,\"magic\":1}",
        "{\"subject\":\"a-value\",\"version\":1,\"id\":7,\"schema\":\"\\\"string\\\"\",\"deleted\":false}"
      },
      {
        "{\"keytype\":\"SCHEMA\",\"subject\":\"a-value\",\"version\":2,\"magic\":1}",
        "{\"subject\":\"a-value\",\"version\":2,\"id\":9,\"md5\":\"x\",\"schemaType\":\"AVRO\",\"schema\":"
            + "\"\\\"long\\\"\",\"metadata\":{},\"deleted\":false}"
      },
      {
        "{\"keytype\":\"SCHEMA\",\"subject\":\"p-value\",\"version\":1,\"magic\":1}",
        "{\"subject\":\"p-value\",\"version\":1,\"id\":12,\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = "
            + "\\\"proto3\\\";\",\"deleted\":false}"
      },
      {"{\"keytype\":\"MODE\",\"subject\":null,\"magic\":0}", "{\"mode\":\"READWRITE\"}"},
      {
        "{\"keytype\":\"CONFIG\",\"subject\":\"a-value\",\"magic\":0}",
        "{\"compatibilityLevel\":\"NONE\"}"
      },
      {
        "{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"a-value\",\"magic\":0}",
        "{\"subject\":\"a-value\"," + "\"version\":1}"
      },
      {"not json", "{}"},
    };

    // When
    for (String[] record : topic) {
      SchemasTopicFormat.Entry entry =
          SchemasTopicFormat.parse(
              record[0].getBytes(StandardCharsets.UTF_8),
              record[1] == null ? null : record[1].getBytes(StandardCharsets.UTF_8));
      if (entry != null) {
        state.apply(entry);
      }
    }

    // Then
    assertThat(state.globalLevel()).isEqualTo(CompatibilityLevel.FULL);
    assertThat(state.level("a-value")).isEqualTo(CompatibilityLevel.NONE);
    assertThat(state.versions("a-value", false))
        .extracting(RegistryState.Version::version)
        .containsExactly(2);
    assertThat(state.versions("a-value", true))
        .extracting(RegistryState.Version::id)
        .containsExactly(7, 9);
    assertThat(state.subjects(true)).containsExactly("a-value");
    assertThat(state.byId(12)).as("a Protobuf schema is skipped").isEmpty();
    assertThat(state.nextId()).isEqualTo(10);
    assertThat(state.nextVersion("a-value")).isEqualTo(3);
  }

  @Test
  void shouldAnswer50001AndChangeNothingWhenTheLogCannotStore() throws Exception {
    // Given a registry whose log refuses every write
    SchemasLog broken =
        new SchemasLog() {
          @Override
          public void append(SchemasTopicFormat.Entry entry) {
            throw RegistryError.store("Error in the backend data store: the broker is down");
          }

          @Override
          public void close() {}
        };
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/", new RegistryHttpApi(new SchemaStore(new RegistryState(), broken), new Object()));
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();

      // When
      HttpResponse<String> refused =
          send(url + "/subjects/a-value/versions", "POST", "{\"schema\":\"\\\"int\\\"\"}");

      // Then
      assertThat(refused.statusCode()).isEqualTo(500);
      JsonNode body = JSON.readTree(refused.body());
      assertThat(body.path("error_code").asInt()).isEqualTo(50001);
      assertThat(body.path("message").asText()).contains("broker is down");
      assertThat(send(url + "/subjects", "GET", null).body()).isEqualTo("[]");
      assertThat(send(url + "/config", "PUT", "{\"compatibility\":\"FULL\"}").statusCode())
          .isEqualTo(500);
      assertThat(send(url + "/config", "GET", null).body()).contains("BACKWARD");
    } finally {
      server.stop(0);
    }
  }

  private static HttpResponse<String> send(String url, String method, String body)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
