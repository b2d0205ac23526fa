package org.kfm.telemetry.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.kfm.telemetry.dev.RegistryState.Version;
import org.kfm.telemetry.serde.CompatibilityLevel;
import org.kfm.telemetry.serde.SchemaRegistryClient;

/**
 * The Confluent Schema Registry REST API (v1, Avro only) over a {@link SchemaStore}: the routes,
 * query parameters and JSON bodies Confluent's clients send, Confluent's answers and error bodies
 * ({@code {"error_code":N,"message":"..."}}), 404 for unknown paths and 405 for a known path with
 * another method. Requests are served one at a time, under {@code lock}.
 */
final class RegistryHttpApi implements HttpHandler {

  static final String CONTENT_TYPE = SchemaRegistryClient.CONTENT_TYPE;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUBJECT = "/subjects/([^/]+)";
  private static final String VERSION = SUBJECT + "/versions/([^/]+)";

  /** A request: the path's groups, its query parameters, its body. */
  private record Call(Matcher path, Map<String, String> query, byte[] body) {
    String group(int i) {
      String raw = path.group(i);
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    boolean flag(String name) {
      return Boolean.parseBoolean(query.get(name));
    }
  }

  /** An answer: a status and a JSON body. */
  private record Reply(int status, JsonNode body) {
    static Reply ok(JsonNode body) {
      return new Reply(200, body);
    }
  }

  private interface Route {
    Reply answer(Call call) throws IOException;
  }

  private final Map<String, Pattern> patterns = new LinkedHashMap<>();
  private final Map<String, Map<String, Route>> routes = new HashMap<>();
  private final SchemaStore store;
  private final Object lock;

  RegistryHttpApi(SchemaStore store, Object lock) {
    this.store = store;
    this.lock = lock;
    route("GET", "/", c -> Reply.ok(JSON.createObjectNode()));
    route("GET", "/schemas/types", c -> Reply.ok(JSON.createArrayNode().add("AVRO")));
    route(
        "GET",
        "/schemas/ids/([^/]+)",
        c -> Reply.ok(JSON.createObjectNode().put("schema", byId(c).schema())));
    route("GET", "/schemas/ids/([^/]+)/versions", c -> Reply.ok(pairs(c, true)));
    route("GET", "/schemas/ids/([^/]+)/subjects", c -> Reply.ok(pairs(c, false)));
    route("GET", "/subjects", c -> Reply.ok(JSON.valueToTree(store.subjects(c.flag("deleted")))));
    route(
        "POST",
        SUBJECT,
        c -> Reply.ok(version(store.lookup(c.group(1), schemaIn(c.body()), c.flag("deleted")))));
    route(
        "DELETE",
        SUBJECT,
        c -> Reply.ok(JSON.valueToTree(store.deleteSubject(c.group(1), c.flag("permanent")))));
    route(
        "GET",
        SUBJECT + "/versions",
        c ->
            Reply.ok(
                JSON.valueToTree(
                    store.existing(c.group(1), c.flag("deleted")).stream()
                        .map(Version::version)
                        .toList())));
    route(
        "POST",
        SUBJECT + "/versions",
        c ->
            Reply.ok(
                JSON.createObjectNode()
                    .put("id", store.register(c.group(1), schemaIn(c.body()), true))));
    route(
        "GET",
        VERSION,
        c ->
            Reply.ok(version(store.version(c.group(1), versionIn(c.group(2)), c.flag("deleted")))));
    route(
        "DELETE",
        VERSION,
        c ->
            Reply.ok(
                JSON.getNodeFactory()
                    .numberNode(
                        store.deleteVersion(
                            c.group(1), versionIn(c.group(2)), c.flag("permanent")))));
    route(
        "GET",
        VERSION + "/schema",
        c ->
            Reply.ok(
                JSON.readTree(
                    store.version(c.group(1), versionIn(c.group(2)), c.flag("deleted")).schema())));
    route("POST", "/compatibility" + VERSION, c -> compatibility(c, versionIn(c.group(2))));
    route("POST", "/compatibility" + SUBJECT + "/versions", c -> compatibility(c, null));
    route("GET", "/config", c -> Reply.ok(level("compatibilityLevel", store.globalLevel())));
    route("PUT", "/config", c -> setLevel(null, c));
    route("DELETE", "/config", c -> Reply.ok(level("compatibilityLevel", store.deleteLevel(null))));
    route(
        "GET",
        "/config/([^/]+)",
        c ->
            Reply.ok(
                level(
                    "compatibilityLevel",
                    store.subjectLevel(c.group(1), c.flag("defaultToGlobal")))));
    route("PUT", "/config/([^/]+)", c -> setLevel(c.group(1), c));
    route(
        "DELETE",
        "/config/([^/]+)",
        c -> Reply.ok(level("compatibilityLevel", store.deleteLevel(c.group(1)))));
  }

  private void route(String method, String path, Route route) {
    patterns.computeIfAbsent(path, p -> Pattern.compile(p.equals("/") ? "/" : p + "/?"));
    routes.computeIfAbsent(path, p -> new HashMap<>()).put(method, route);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Reply reply;
      try {
        reply =
            answer(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(),
                query(exchange.getRequestURI().getRawQuery()),
                body);
      } catch (RegistryError e) {
        reply = new Reply(e.status(), error(e.errorCode(), e.getMessage()));
      } catch (RuntimeException e) {
        // a bug of ours still gets a Confluent-style answer rather than a dropped connection
        reply = new Reply(500, error(50001, "Error in the backend data store: " + e));
      }
      reply(exchange, reply.status(), reply.body());
    }
  }

  private Reply answer(String method, String path, Map<String, String> query, byte[] body)
      throws IOException {
    for (Map.Entry<String, Pattern> entry : patterns.entrySet()) {
      Matcher m = entry.getValue().matcher(path);
      if (m.matches()) {
        Route route = routes.get(entry.getKey()).get(method);
        if (route == null) {
          return new Reply(405, error(405, "HTTP 405 Method Not Allowed"));
        }
        synchronized (lock) {
          return route.answer(new Call(m, query, body));
        }
      }
    }
    return new Reply(404, error(404, "HTTP 404 Not Found"));
  }

  private Version byId(Call call) {
    try {
      return store.byId(Integer.parseInt(call.group(1)));
    } catch (NumberFormatException e) {
      throw RegistryError.schemaNotFound("Schema " + call.group(1) + " not found");
    }
  }

  /** {@code [{"subject":..,"version":..}]}, or with {@code !withVersions} the distinct subjects. */
  private ArrayNode pairs(Call call, boolean withVersions) {
    ArrayNode answer = JSON.createArrayNode();
    Set<String> subjects = new LinkedHashSet<>();
    for (Version v : store.versionsOf(byId(call).id(), call.flag("deleted"))) {
      if (withVersions) {
        answer.addObject().put("subject", v.subject()).put("version", v.version());
      } else if (subjects.add(v.subject())) {
        answer.add(v.subject());
      }
    }
    return answer;
  }

  private Reply compatibility(Call call, Integer version) {
    List<String> problems = store.compatibility(call.group(1), version, schemaIn(call.body()));
    ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
    if (call.flag("verbose")) {
      answer.set("messages", JSON.valueToTree(problems));
    }
    return Reply.ok(answer);
  }

  private Reply setLevel(String subject, Call call) {
    JsonNode request = jsonIn(call.body());
    JsonNode name =
        request.has("compatibility")
            ? request.get("compatibility")
            : request.get("compatibilityLevel");
    CompatibilityLevel level =
        CompatibilityLevel.forName(name == null || !name.isTextual() ? null : name.asText())
            .orElseThrow(RegistryError::invalidCompatibility);
    store.setLevel(subject, level);
    return Reply.ok(level("compatibility", level));
  }

  private static ObjectNode level(String field, CompatibilityLevel level) {
    return JSON.createObjectNode().put(field, level.name());
  }

  private static ObjectNode version(Version v) {
    return JSON.createObjectNode()
        .put("subject", v.subject())
        .put("version", v.version())
        .put("id", v.id())
        .put("schema", v.schema());
  }

  /** A version path segment: 1 .. 2^31-1, or "latest" / -1 for {@link SchemaStore#LATEST}. */
  static int versionIn(String segment) {
    if (segment.trim().equalsIgnoreCase("latest")) {
      return SchemaStore.LATEST;
    }
    try {
      int version = Integer.parseInt(segment.trim());
      if (version >= 1 || version == SchemaStore.LATEST) {
        return version;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw RegistryError.invalidVersion(segment);
  }

  /** The Avro schema of a register / lookup / compatibility request body. */
  static Schema schemaIn(byte[] body) {
    JsonNode request = jsonIn(body);
    String type = request.path("schemaType").asText("AVRO");
    if (!type.equalsIgnoreCase("AVRO")) {
      throw RegistryError.invalidSchema(
          "Unsupported schema type " + type + ": this registry holds Avro schemas only");
    }
    if (request.path("references").size() > 0) {
      throw RegistryError.invalidSchema(
          "Schema references are not supported: this registry holds self-contained "
              + "Avro schemas only");
    }
    String text = request.path("schema").asText("");
    if (text.isBlank()) {
      throw RegistryError.invalidSchema("Empty schema");
    }
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException | IllegalArgumentException e) {
      throw RegistryError.invalidSchema("Invalid schema " + text + ": " + e.getMessage());
    }
  }

  private static JsonNode jsonIn(byte[] body) {
    try {
      JsonNode request = JSON.readTree(body);
      if (request instanceof ObjectNode) {
        return request;
      }
    } catch (IOException e) {
      // answered below
    }
    throw new RegistryError(400, 400, "The request body is not a JSON object");
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        params.put(
            name,
            eq < 0 ? "true" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  static ObjectNode error(int code, String message) {
    return JSON.createObjectNode().put("error_code", code).put("message", message);
  }

  static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
