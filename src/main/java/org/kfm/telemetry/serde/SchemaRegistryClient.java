package org.kfm.telemetry.serde;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that an Avro serde needs: register and look up a
 * schema under a subject, fetch a schema by id, fetch a subject's latest version. Implementations
 * are thread-safe.
 */
public interface SchemaRegistryClient {

  /** The media type of the Confluent Schema Registry REST API, requests and answers. */
  String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  /**
   * Registers {@code schema} under {@code subject} (idempotent: an already registered schema keeps
   * its id).
   *
   * @return the registry-wide schema id
   */
  int register(String subject, Schema schema) throws SchemaRegistryException;

  /**
   * The schema with this id (error code {@link SchemaRegistryException#SCHEMA_NOT_FOUND} when
   * unknown).
   */
  Schema getById(int id) throws SchemaRegistryException;

  /**
   * The latest version registered under {@code subject} ({@link
   * SchemaRegistryException#SUBJECT_NOT_FOUND} when none).
   */
  RegisteredSchema getLatest(String subject) throws SchemaRegistryException;

  /**
   * The id of {@code schema} when it is already registered under {@code subject}; never registers.
   * Fails with {@link SchemaRegistryException#SUBJECT_NOT_FOUND} or {@link
   * SchemaRegistryException#SCHEMA_NOT_FOUND}.
   */
  int lookup(String subject, Schema schema) throws SchemaRegistryException;

  /**
   * Whether {@code schema} could be registered as the next version of {@code subject} under its
   * compatibility rule.
   */
  boolean testCompatibility(String subject, Schema schema) throws SchemaRegistryException;

  /**
   * The client a configuration asks for: the shared in-memory one for {@code mock://<scope>}, HTTP
   * otherwise.
   */
  static SchemaRegistryClient forConfig(RegistryClientConfig config) {
    return config
        .mockScope()
        .<SchemaRegistryClient>map(MockSchemaRegistryClient::forScope)
        .orElseGet(() -> new HttpSchemaRegistryClient(config));
  }
}
