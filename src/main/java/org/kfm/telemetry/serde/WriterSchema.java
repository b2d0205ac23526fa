package org.kfm.telemetry.serde;

import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.errors.SerializationException;

/** The Avro schema a value is written with, chosen as Confluent's serializer chooses it. */
final class WriterSchema {

  private static final Schema NULL = Schema.create(Schema.Type.NULL);
  private static final Schema BOOLEAN = Schema.create(Schema.Type.BOOLEAN);
  private static final Schema INT = Schema.create(Schema.Type.INT);
  private static final Schema LONG = Schema.create(Schema.Type.LONG);
  private static final Schema FLOAT = Schema.create(Schema.Type.FLOAT);
  private static final Schema DOUBLE = Schema.create(Schema.Type.DOUBLE);
  private static final Schema STRING = Schema.create(Schema.Type.STRING);
  private static final Schema BYTES = Schema.create(Schema.Type.BYTES);

  private WriterSchema() {}

  /**
   * The record's own schema ({@code getSchema()}) for Avro containers, the primitive schema for
   * Java primitives.
   */
  static Schema of(Object value) {
    if (value instanceof GenericContainer container) {
      return container.getSchema();
    }
    if (value == null) {
      return NULL;
    } else if (value instanceof Boolean) {
      return BOOLEAN;
    } else if (value instanceof Integer) {
      return INT;
    } else if (value instanceof Long) {
      return LONG;
    } else if (value instanceof Float) {
      return FLOAT;
    } else if (value instanceof Double) {
      return DOUBLE;
    } else if (value instanceof CharSequence) {
      return STRING;
    } else if (value instanceof byte[] || value instanceof ByteBuffer) {
      return BYTES;
    }
    throw new SerializationException(
        "Cannot write a "
            + value.getClass().getName()
            + " as Avro: expected a "
            + "GenericRecord, a generated SpecificRecord, another Avro GenericContainer, or a primitive");
  }
}
