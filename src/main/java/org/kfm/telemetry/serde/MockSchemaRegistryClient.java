package org.kfm.telemetry.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * An in-memory schema registry for tests and dev mode, selected by {@code
 * schema.registry.url=mock://<scope>}. Like Confluent's {@code MockSchemaRegistry}, there is one
 * instance per scope in the JVM, shared by every serde configured with that scope, until {@link
 * #dropScope(String)}. Like a real registry, ids are assigned 1, 2, 3... per distinct schema (the
 * same schema gets the same id, under any subject) and versions 1, 2, 3... per subject.
 * Registration does not check compatibility (neither does Confluent's mock); {@link
 * #testCompatibility} checks BACKWARD against the latest version.
 */
public final class MockSchemaRegistryClient implements SchemaRegistryClient {

  private static final ConcurrentMap<String, MockSchemaRegistryClient> SCOPES =
      new ConcurrentHashMap<>();

  private final Map<Schema, Integer> idsBySchema = new HashMap<>();
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();

  /** A registry of its own, shared with nobody. */
  public MockSchemaRegistryClient() {}

  /** The registry shared by everything in this JVM that uses {@code mock://<scope>}. */
  public static MockSchemaRegistryClient forScope(String scope) {
    return SCOPES.computeIfAbsent(scope, s -> new MockSchemaRegistryClient());
  }

  /** Forgets a scope: the next {@link #forScope} with that name starts empty. */
  public static void dropScope(String scope) {
    SCOPES.remove(scope);
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    int id =
        idsBySchema.computeIfAbsent(
            schema,
            s -> {
              int next = schemasById.size() + 1;
              schemasById.put(next, s);
              return next;
            });
    List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(schema)) {
      versions.add(schema);
    }
    return id;
  }

  @Override
  public synchronized Schema getById(int id) throws SchemaRegistryException {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw notFound(SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public synchronized RegisteredSchema getLatest(String subject) throws SchemaRegistryException {
    List<Schema> versions = versions(subject);
    Schema latest = versions.get(versions.size() - 1);
    return new RegisteredSchema(subject, versions.size(), idsBySchema.get(latest), latest);
  }

  @Override
  public synchronized int lookup(String subject, Schema schema) throws SchemaRegistryException {
    if (!versions(subject).contains(schema)) {
      throw notFound(
          SchemaRegistryException.SCHEMA_NOT_FOUND,
          "Schema not found under subject '" + subject + "'");
    }
    return idsBySchema.get(schema);
  }

  @Override
  public synchronized boolean testCompatibility(String subject, Schema schema) {
    List<Schema> versions = versionsBySubject.getOrDefault(subject, List.of());
    return versions.isEmpty()
        || SchemaCompatibility.checkReaderWriterCompatibility(
                    schema, versions.get(versions.size() - 1))
                .getType()
            == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
  }

  private List<Schema> versions(String subject) throws SchemaRegistryException {
    List<Schema> versions = versionsBySubject.get(subject);
    if (versions == null) {
      throw notFound(
          SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found");
    }
    return versions;
  }

  private static SchemaRegistryException notFound(int errorCode, String message) {
    return new SchemaRegistryException(404, errorCode, message + " (mock registry)");
  }
}
