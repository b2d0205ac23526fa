package org.kfm.telemetry.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the Confluent Schema Registry REST API (also served by Apicurio's ccompat API,
 * Karapace and Redpanda) on {@link java.net.http.HttpClient}. Answers are cached both ways (schema
 * to id per subject, id to schema), so a steady stream of records costs no HTTP call; latest
 * versions and compatibility checks are not. Retries, fail-over and authentication follow {@link
 * RegistryClientConfig}.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

  private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private record SubjectSchema(String subject, Schema schema) {}

  private final RegistryTransport transport;
  private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

  /** A client for the configured registry URLs. */
  public HttpSchemaRegistryClient(RegistryClientConfig config) {
    this(config, duration -> Thread.sleep(duration.toMillis()));
  }

  HttpSchemaRegistryClient(RegistryClientConfig config, RegistryTransport.Sleeper sleeper) {
    this.transport = new RegistryTransport(config, sleeper);
    LOG.info(
        "Schema registry client for {} ({} retries, authentication: {})",
        config.endpoints(),
        config.retry().maxRetries(),
        config.endpoints().stream().anyMatch(e -> e.authorization() != null) ? "basic" : "none");
  }

  @Override
  public int register(String subject, Schema schema) throws SchemaRegistryException {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = ids.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer =
        transport.send("POST", "/subjects/" + segment(subject) + "/versions", body(schema));
    int id = requiredInt(answer, "id", "POST /subjects/" + subject + "/versions");
    remember(key, id);
    return id;
  }

  @Override
  public Schema getById(int id) throws SchemaRegistryException {
    Schema cached = schemas.get(id);
    if (cached != null) {
      return cached;
    }
    String path = "/schemas/ids/" + id;
    Schema schema = schema(transport.send("GET", path, null), path);
    schemas.putIfAbsent(id, schema);
    return schema;
  }

  @Override
  public RegisteredSchema getLatest(String subject) throws SchemaRegistryException {
    String path = "/subjects/" + segment(subject) + "/versions/latest";
    return registered(transport.send("GET", path, null), subject, path);
  }

  @Override
  public int lookup(String subject, Schema schema) throws SchemaRegistryException {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = ids.get(key);
    if (cached != null) {
      return cached;
    }
    String path = "/subjects/" + segment(subject);
    RegisteredSchema found = registered(transport.send("POST", path, body(schema)), subject, path);
    remember(key, found.id());
    return found.id();
  }

  @Override
  public boolean testCompatibility(String subject, Schema schema) throws SchemaRegistryException {
    String path = "/compatibility/subjects/" + segment(subject) + "/versions/latest";
    try {
      return transport.send("POST", path, body(schema)).path("is_compatible").asBoolean(false);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
          || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
        return true;
      }
      throw e;
    }
  }

  private void remember(SubjectSchema key, int id) {
    ids.put(key, id);
    schemas.putIfAbsent(id, key.schema());
  }

  private RegisteredSchema registered(JsonNode answer, String subject, String path)
      throws SchemaRegistryException {
    int id = requiredInt(answer, "id", path);
    RegisteredSchema found =
        new RegisteredSchema(
            subject, requiredInt(answer, "version", path), id, schema(answer, path));
    schemas.putIfAbsent(id, found.schema());
    return found;
  }

  private static Schema schema(JsonNode answer, String path) throws SchemaRegistryException {
    String type = answer.path("schemaType").asText("AVRO");
    if (!"AVRO".equalsIgnoreCase(type)) {
      throw new SchemaRegistryException(
          200,
          SchemaRegistryException.NO_RESPONSE,
          "Schema registry answered " + path + " with a " + type + " schema, not Avro");
    }
    JsonNode text = answer.get("schema");
    if (text == null || !text.isTextual()) {
      throw malformed(path, "no \"schema\" string");
    }
    try {
      return new Schema.Parser().parse(text.asText());
    } catch (SchemaParseException e) {
      throw malformed(path, "an Avro schema that does not parse (" + e.getMessage() + ")");
    }
  }

  private static int requiredInt(JsonNode answer, String field, String path)
      throws SchemaRegistryException {
    JsonNode value = answer.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw malformed(path, "no integer \"" + field + "\"");
    }
    return value.intValue();
  }

  private static SchemaRegistryException malformed(String path, String what) {
    return new SchemaRegistryException(
        200,
        SchemaRegistryException.NO_RESPONSE,
        "Schema registry answered " + path + " with " + what);
  }

  private static String body(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString()).toString();
  }

  private static String segment(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
