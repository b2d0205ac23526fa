package org.kfm.telemetry.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * A small in-memory schema registry speaking the part of the Confluent Schema Registry REST API that
 * Avro serdes use (register, look up, schema by id, latest version, compatibility check, subjects),
 * with BACKWARD compatibility per subject and Confluent's error codes. It is for development and
 * tests only: nothing is persisted, there is no authentication, and it binds where it is told.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  private static final String CONTENT_TYPE = RegistryTransport.CONTENT_TYPE;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SUBJECTS = Pattern.compile("/subjects/?");
  private static final Pattern VERSIONS = Pattern.compile("/subjects/([^/]+)/versions/?");
  private static final Pattern LATEST = Pattern.compile("/subjects/([^/]+)/versions/latest");
  private static final Pattern SUBJECT = Pattern.compile("/subjects/([^/]+)");
  private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(\\d+)");
  private static final Pattern COMPATIBILITY = Pattern.compile("/compatibility/subjects/([^/]+)/versions/latest");

  private final HttpServer server;
  private final HttpContext context;
  private final Map<String, Integer> idsByCanonical = new LinkedHashMap<>();
  private final Map<Integer, Schema> schemasById = new LinkedHashMap<>();
  private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();

  private EmbeddedSchemaRegistry(HttpServer server) {
    this.server = server;
    this.context = server.createContext("/", this::handle);
  }

  /** A registry on http://127.0.0.1:{@code port} (0: a free port), started. */
  public static EmbeddedSchemaRegistry start(int port) throws IOException {
    EmbeddedSchemaRegistry registry = on(HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
    registry.server.start();
    return registry;
  }

  /**
   * A registry on {@code server} (HTTP or HTTPS, bound, not yet started): add filters to
   * {@link #context()} if needed, then call {@code server.start()}.
   */
  public static EmbeddedSchemaRegistry on(HttpServer server) {
    return new EmbeddedSchemaRegistry(server);
  }

  /** The HTTP context that serves the API, for filters (logging, authentication, injected faults). */
  public HttpContext context() {
    return context;
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8081}. */
  public String url() {
    return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Registers {@code schema} under {@code subject} directly, without a compatibility check: its id. */
  public synchronized int register(String subject, Schema schema) {
    int id = idsByCanonical.computeIfAbsent(schema.toString(), s -> {
      int next = schemasById.size() + 1;
      schemasById.put(next, schema);
      return next;
    });
    List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  /** The schema registered under {@code id}, if any. */
  public synchronized Optional<Schema> schema(int id) {
    return Optional.ofNullable(schemasById.get(id));
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** Replies with a Confluent-style error body ({@code error_code}, {@code message}). */
  public static void replyError(HttpExchange exchange, int status, int errorCode, String message) throws IOException {
    reply(exchange, status, error(errorCode, message));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      try {
        route(exchange, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), body);
      } catch (RuntimeException e) {
        // A bug of ours still gets a Confluent-style answer rather than a dropped connection.
        if (exchange.getResponseCode() == -1) {
          reply(exchange, 500, error(50001, "Error in the backend data store: " + e));
        }
      }
    }
  }

  private synchronized void route(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
    Matcher m;
    if (method.equals("GET") && (m = BY_ID.matcher(path)).matches()) {
      Schema schema = schemasById.get(Integer.parseInt(m.group(1)));
      reply(exchange, schema == null ? 404 : 200, schema == null
          ? error(40403, "Schema " + m.group(1) + " not found") : JSON.createObjectNode().put("schema", schema.toString()));
    } else if (method.equals("GET") && SUBJECTS.matcher(path).matches()) {
      reply(exchange, 200, JSON.valueToTree(versionsBySubject.keySet()));
    } else if (method.equals("GET") && (m = LATEST.matcher(path)).matches()) {
      List<Integer> versions = versionsBySubject.get(subject(m));
      if (versions == null) {
        reply(exchange, 404, error(40401, "Subject '" + subject(m) + "' not found."));
      } else {
        reply(exchange, 200, version(subject(m), versions.size(), versions.get(versions.size() - 1)));
      }
    } else if (method.equals("GET") && (m = VERSIONS.matcher(path)).matches()) {
      List<Integer> versions = versionsBySubject.get(subject(m));
      if (versions == null) {
        reply(exchange, 404, error(40401, "Subject '" + subject(m) + "' not found."));
      } else {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 1; i <= versions.size(); i++) {
          numbers.add(i);
        }
        reply(exchange, 200, JSON.valueToTree(numbers));
      }
    } else if (method.equals("POST") && (m = VERSIONS.matcher(path)).matches()) {
      registerOverHttp(exchange, subject(m), body);
    } else if (method.equals("POST") && (m = COMPATIBILITY.matcher(path)).matches()) {
      Optional<Schema> schema = parseOrReply(exchange, body);
      if (schema.isPresent()) {
        List<Integer> versions = versionsBySubject.get(subject(m));
        boolean ok = versions == null || compatible(schema.get(), schemasById.get(versions.get(versions.size() - 1)));
        reply(exchange, 200, JSON.createObjectNode().put("is_compatible", ok));
      }
    } else if (method.equals("POST") && (m = SUBJECT.matcher(path)).matches()) {
      Optional<Schema> schema = parseOrReply(exchange, body);
      if (schema.isPresent()) {
        List<Integer> versions = versionsBySubject.get(subject(m));
        Integer id = idsByCanonical.get(schema.get().toString());
        if (versions == null) {
          reply(exchange, 404, error(40401, "Subject '" + subject(m) + "' not found."));
        } else if (id == null || !versions.contains(id)) {
          reply(exchange, 404, error(40403, "Schema not found"));
        } else {
          reply(exchange, 200, version(subject(m), versions.indexOf(id) + 1, id));
        }
      }
    } else {
      reply(exchange, 404, error(404, "HTTP 404 Not Found"));
    }
  }

  private void registerOverHttp(HttpExchange exchange, String subject, byte[] body) throws IOException {
    Optional<Schema> parsed = parseOrReply(exchange, body);
    if (parsed.isEmpty()) {
      return;
    }
    Schema schema = parsed.get();
    List<Integer> versions = versionsBySubject.get(subject);
    Integer existing = idsByCanonical.get(schema.toString());
    boolean alreadyThere = versions != null && existing != null && versions.contains(existing);
    if (!alreadyThere && versions != null && !compatible(schema, schemasById.get(versions.get(versions.size() - 1)))) {
      reply(exchange, 409, error(409, "Schema being registered is incompatible with an earlier schema for subject \""
          + subject + "\""));
      return;
    }
    reply(exchange, 200, JSON.createObjectNode().put("id", register(subject, schema)));
  }

  private ObjectNode version(String subject, int version, int id) {
    return JSON.createObjectNode().put("subject", subject).put("version", version).put("id", id)
        .put("schema", schemasById.get(id).toString());
  }

  private static boolean compatible(Schema newSchema, Schema latest) {
    return SchemaCompatibility.checkReaderWriterCompatibility(newSchema, latest).getType()
        == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
  }

  /** The schema in the request body, or empty after a 422 reply. */
  private static Optional<Schema> parseOrReply(HttpExchange exchange, byte[] body) throws IOException {
    try {
      JsonNode request = JSON.readTree(body);
      String type = request.path("schemaType").asText("AVRO");
      if (!type.equals("AVRO")) {
        reply(exchange, 422, error(42201, "Unsupported schema type " + type + ": this registry holds Avro only"));
        return Optional.empty();
      }
      return Optional.of(new Schema.Parser().parse(request.path("schema").asText()));
    } catch (SchemaParseException | IOException e) {
      reply(exchange, 422, error(42201, "Invalid schema " + e.getMessage()));
      return Optional.empty();
    }
  }

  private static String subject(Matcher m) {
    return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
  }

  private static ObjectNode error(int code, String message) {
    return JSON.createObjectNode().put("error_code", code).put("message", message);
  }

  private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
