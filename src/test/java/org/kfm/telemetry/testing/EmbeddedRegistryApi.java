package org.kfm.telemetry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.kfm.telemetry.dev.EmbeddedSchemaRegistry;
import org.kfm.telemetry.serde.SchemaRegistryClient;

/**
 * An in-memory {@link EmbeddedSchemaRegistry} on a free port, and its Confluent REST API called
 * over real HTTP as a Confluent client calls it. Registered ({@code @RegisterExtension}) on an
 * instance field it is a fresh registry for each test, so ids and versions start at 1; on a static
 * field, one registry for the class.
 */
public final class EmbeddedRegistryApi
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A status and a JSON body. */
  public record Answer(int status, JsonNode body) {
    /** The Confluent {@code error_code} of an error answer (0 if there is none). */
    public int errorCode() {
      return body.path("error_code").asInt();
    }
  }

  private final HttpClient http = HttpClient.newHttpClient();
  private boolean perClass;
  private EmbeddedSchemaRegistry registry;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    perClass = true;
    registry = EmbeddedSchemaRegistry.start(0);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    if (!perClass) {
      registry = EmbeddedSchemaRegistry.start(0);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** {@code http://127.0.0.1:port} of the running registry. */
  public String url() {
    return running().url();
  }

  /** The schema registered under {@code id}, read directly, not over HTTP. */
  public Optional<Schema> schema(int id) {
    return running().schema(id);
  }

  /** {@code method path} with {@code body} (none if null) as JSON. */
  public Answer call(String method, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url() + path))
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

  public Answer get(String path) throws Exception {
    return call("GET", path, null);
  }

  /** POSTs {@code schema} as Confluent's {@code {"schema": ...}} request. */
  public Answer post(String path, String schema) throws Exception {
    return call("POST", path, schemaRequest(schema));
  }

  /** Registers {@code schema} under {@code subject}: {@code POST /subjects/{subject}/versions}. */
  public Answer register(String subject, String schema) throws Exception {
    return post("/subjects/" + subject + "/versions", schema);
  }

  /** Confluent's request body for a schema: {@code {"schema": "<the schema as a string>"}}. */
  public static String schemaRequest(String schema) {
    return JSON.createObjectNode().put("schema", schema).toString();
  }

  private EmbeddedSchemaRegistry running() {
    if (registry == null) {
      throw new IllegalStateException(
          "the registry is not running: register EmbeddedRegistryApi with @RegisterExtension");
    }
    return registry;
  }

  private void close() {
    if (registry != null) {
      registry.close();
      registry = null;
    }
  }
}
