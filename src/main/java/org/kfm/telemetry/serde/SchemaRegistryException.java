package org.kfm.telemetry.serde;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A schema registry request that failed: either the registry answered with an error (HTTP status
 * and Confluent {@code error_code}) or it could not be reached at all ({@link #status()} is {@link
 * #NO_RESPONSE}). Messages name the request and the registry's own message, never credentials.
 */
public class SchemaRegistryException extends Exception {

  /** {@link #status()} and {@link #errorCode()} when no HTTP response was received. */
  public static final int NO_RESPONSE = -1;

  /** Confluent error code: the subject does not exist. */
  public static final int SUBJECT_NOT_FOUND = 40401;

  /** Confluent error code: the version does not exist. */
  public static final int VERSION_NOT_FOUND = 40402;

  /** Confluent error code: the schema (or schema id) does not exist. */
  public static final int SCHEMA_NOT_FOUND = 40403;

  /** Confluent error code: the schema is incompatible with an earlier version of the subject. */
  public static final int INCOMPATIBLE_SCHEMA = 409;

  /** Confluent error code: the schema is not valid. */
  public static final int INVALID_SCHEMA = 42201;

  private final int status;
  private final int errorCode;

  /** An error answer of the registry. */
  public SchemaRegistryException(int status, int errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  /** A request that got no answer (connection refused, timeout, TLS failure, interrupted). */
  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = NO_RESPONSE;
    this.errorCode = NO_RESPONSE;
  }

  /** The HTTP status, or {@link #NO_RESPONSE}. */
  public int status() {
    return status;
  }

  /**
   * Confluent's {@code error_code} (e.g. 40401), the HTTP status when the body had none, or {@link
   * #NO_RESPONSE}.
   */
  public int errorCode() {
    return errorCode;
  }

  /**
   * True when the registry was unreachable or failed on its side (no response, 5xx, 408 timeout,
   * 429 throttled): the request may succeed later, and the record is not at fault.
   */
  public boolean isUnavailable() {
    return status == NO_RESPONSE || status >= 500 || status == 408 || status == 429;
  }

  /**
   * The Kafka exception a serializer or deserializer throws for this failure, so that an exception
   * handler can tell broken infrastructure from bad data: {@link
   * SchemaRegistryUnavailableException} (retriable) when the registry is unavailable, {@link
   * AuthenticationException} for 401, {@link AuthorizationException} for 403, and {@link
   * SerializationException} for everything the record or its schema is to blame for (unknown
   * subject, schema or id; incompatible or invalid schema).
   */
  public KafkaException toKafkaException(String context) {
    String message = context + ": " + getMessage();
    if (isUnavailable()) {
      return new SchemaRegistryUnavailableException(message, this);
    }
    if (status == 401) {
      return new AuthenticationException(message, this);
    }
    if (status == 403) {
      return new AuthorizationException(message, this);
    }
    return new SerializationException(message, this);
  }
}
