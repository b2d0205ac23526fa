package org.kfm.telemetry.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.kfm.telemetry.serde.CompatibilityLevel;

/**
 * The JSON keys and values Confluent Schema Registry keeps in its {@code _schemas} topic (its
 * {@code SchemaKey}, {@code SchemaValue}, {@code ConfigKey}, {@code ConfigValue}, {@code
 * DeleteSubjectKey} and {@code DeleteSubjectValue}, fields in Confluent's order, null fields left
 * out), so that either registry can read what the other wrote. Avro values carry no {@code
 * schemaType}, which Confluent reads as AVRO.
 */
final class SchemasTopicFormat {

  static final String SCHEMA = "SCHEMA";
  static final String CONFIG = "CONFIG";
  static final String DELETE_SUBJECT = "DELETE_SUBJECT";

  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemasTopicFormat() {}

  /** One record of the topic: {@code value} null is a tombstone. */
  record Entry(ObjectNode key, ObjectNode value) {
    String keyType() {
      return key.path("keytype").asText();
    }

    /** The key's subject, null for the global config. */
    String subject() {
      JsonNode subject = key.get("subject");
      return subject == null || subject.isNull() ? null : subject.asText();
    }
  }

  /**
   * {@code {"keytype":"SCHEMA","subject":s,"version":v,"magic":1}} with its value, or a tombstone.
   */
  static Entry schema(String subject, int version, int id, String schema, boolean deleted) {
    ObjectNode value =
        JSON.createObjectNode()
            .put("subject", subject)
            .put("version", version)
            .put("id", id)
            .put("schema", schema)
            .put("deleted", deleted);
    return new Entry(schemaKey(subject, version), value);
  }

  static Entry schemaTombstone(String subject, int version) {
    return new Entry(schemaKey(subject, version), null);
  }

  /** A subject's ({@code subject} non-null) or the global compatibility level. */
  static Entry config(String subject, CompatibilityLevel level) {
    ObjectNode value = JSON.createObjectNode();
    if (subject != null) {
      value.put("subject", subject);
    }
    value.put("compatibilityLevel", level.name());
    return new Entry(configKey(subject), value);
  }

  static Entry configTombstone(String subject) {
    return new Entry(configKey(subject), null);
  }

  /**
   * Confluent's soft delete of a subject: every version up to {@code version} counts as deleted.
   */
  static Entry deleteSubject(String subject, int version) {
    ObjectNode key =
        JSON.createObjectNode()
            .put("keytype", DELETE_SUBJECT)
            .put("subject", subject)
            .put("magic", 0);
    return new Entry(key, JSON.createObjectNode().put("subject", subject).put("version", version));
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return node == null ? null : JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The entry in a record of the topic; empty-keyed or non-object records are not entries (null).
   */
  static Entry parse(byte[] key, byte[] value) {
    try {
      JsonNode k = key == null ? null : JSON.readTree(key);
      JsonNode v = value == null ? null : JSON.readTree(value);
      if (!(k instanceof ObjectNode) || (v != null && !(v instanceof ObjectNode))) {
        return null;
      }
      return new Entry((ObjectNode) k, (ObjectNode) v);
    } catch (IOException e) {
      return null;
    }
  }

  private static ObjectNode schemaKey(String subject, int version) {
    return JSON.createObjectNode()
        .put("keytype", SCHEMA)
        .put("subject", subject)
        .put("version", version)
        .put("magic", 1);
  }

  private static ObjectNode configKey(String subject) {
    ObjectNode key = JSON.createObjectNode().put("keytype", CONFIG);
    if (subject != null) {
      key.put("subject", subject);
    }
    return key.put("magic", 0);
  }
}
