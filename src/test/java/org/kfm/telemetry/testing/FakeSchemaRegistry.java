package org.kfm.telemetry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * An in-process schema registry for tests (serde unit tests, real-broker integration tests) speaking the Confluent REST API on the loopback interface, with BACKWARD
 * compatibility, Confluent's error codes, a request log, injectable 5xx failures and optional Basic auth.
 */
public final class FakeSchemaRegistry implements AutoCloseable {

  /** One request as the registry saw it. */
  public record Request(String method, String path, String contentType, String authorization) {
  }

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VERSIONS = Pattern.compile("/subjects/([^/]+)/versions");
  private static final Pattern LATEST = Pattern.compile("/subjects/([^/]+)/versions/latest");
  private static final Pattern SUBJECT = Pattern.compile("/subjects/([^/]+)");
  private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(\\d+)");
  private static final Pattern COMPATIBILITY = Pattern.compile("/compatibility/subjects/([^/]+)/versions/latest");

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> idsByCanonical = new LinkedHashMap<>();
  private final Map<Integer, Schema> schemasById = new LinkedHashMap<>();
  private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;
  private volatile String expectedAuthorization;

  private FakeSchemaRegistry(HttpServer server) {
    this.server = server;
    server.createContext("/", this::handle);
    server.start();
  }

  /** A registry on http://127.0.0.1:&lt;free port&gt;. */
  public static FakeSchemaRegistry start() throws IOException {
    return new FakeSchemaRegistry(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  /** A registry on https://127.0.0.1:&lt;free port&gt; presenting the certificate of {@code tls}. */
  public static FakeSchemaRegistry startTls(SSLContext tls) throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new FakeSchemaRegistry(server);
  }

  public String url() {
    return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The next {@code count} requests fail with {@code status} (a Confluent-style error body). */
  public void failNext(int count, int status) {
    failureStatus = status;
    failuresLeft.set(count);
  }

  /** Answers 401 unless requests carry these Basic credentials. */
  public void requireBasicAuth(String user, String password) {
    expectedAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Registers directly, bypassing HTTP: the id. */
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
  public synchronized java.util.Optional<Schema> schema(int id) {
    return java.util.Optional.ofNullable(schemasById.get(id));
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(new Request(method, path, exchange.getRequestHeaders().getFirst("Content-Type"), authorization));
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (failuresLeft.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
        reply(exchange, failureStatus, error(failureStatus * 100 + 1, "Injected failure"));
      } else if (expectedAuthorization != null && !expectedAuthorization.equals(authorization)) {
        reply(exchange, 401, error(401, "Unauthorized"));
      } else {
        route(exchange, method, path, body);
      }
    }
  }

  private synchronized void route(HttpExchange exchange, String method, String path, byte[] body) throws IOException {
    Matcher m;
    if (method.equals("GET") && (m = BY_ID.matcher(path)).matches()) {
      Schema schema = schemasById.get(Integer.parseInt(m.group(1)));
      reply(exchange, schema == null ? 404 : 200, schema == null
          ? error(40403, "Schema " + m.group(1) + " not found") : JSON.createObjectNode().put("schema", schema.toString()));
    } else if (method.equals("GET") && (m = LATEST.matcher(path)).matches()) {
      List<Integer> versions = versionsBySubject.get(subject(m));
      if (versions == null) {
        reply(exchange, 404, error(40401, "Subject '" + subject(m) + "' not found."));
      } else {
        reply(exchange, 200, version(subject(m), versions.size(), versions.get(versions.size() - 1)));
      }
    } else if (method.equals("POST") && (m = VERSIONS.matcher(path)).matches()) {
      registerOverHttp(exchange, subject(m), body);
    } else if (method.equals("POST") && (m = COMPATIBILITY.matcher(path)).matches()) {
      Schema schema = parse(body);
      List<Integer> versions = versionsBySubject.get(subject(m));
      boolean ok = versions == null || compatible(schema, schemasById.get(versions.get(versions.size() - 1)));
      reply(exchange, 200, JSON.createObjectNode().put("is_compatible", ok));
    } else if (method.equals("POST") && (m = SUBJECT.matcher(path)).matches()) {
      List<Integer> versions = versionsBySubject.get(subject(m));
      Integer id = idsByCanonical.get(parse(body).toString());
      if (versions == null) {
        reply(exchange, 404, error(40401, "Subject '" + subject(m) + "' not found."));
      } else if (id == null || !versions.contains(id)) {
        reply(exchange, 404, error(40403, "Schema not found"));
      } else {
        reply(exchange, 200, version(subject(m), versions.indexOf(id) + 1, id));
      }
    } else {
      reply(exchange, 404, error(404, "HTTP 404 Not Found"));
    }
  }

  private void registerOverHttp(HttpExchange exchange, String subject, byte[] body) throws IOException {
    Schema schema;
    try {
      schema = parse(body);
    } catch (SchemaParseException e) {
      reply(exchange, 422, error(42201, "Invalid schema " + e.getMessage()));
      return;
    }
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

  private static Schema parse(byte[] body) throws IOException {
    JsonNode request = JSON.readTree(body);
    return new Schema.Parser().parse(request.path("schema").asText());
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
