package org.kfm.telemetry.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generic, specific, or primitives) in the Confluent wire format, byte for
 * byte as Confluent's {@code KafkaAvroSerializer} does: the writer schema is the record's own
 * schema, registered or looked up under {@code <topic>-value} / {@code <topic>-key}
 * (TopicNameStrategy), and its id is cached. {@code null} is written as {@code null}. Registry
 * failures surface as described in {@link SchemaRegistryException#toKafkaException(String)}.
 *
 * @param <T> the record type
 */
public class AvroSerializer<T> implements Serializer<T> {

  private record WriterKey(Schema schema, Class<?> specificClass) {}

  private final Map<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
  private SchemaRegistryClient client;
  private AvroSerdeConfig config;
  private LatestVersions latestVersions;
  private boolean isKey;

  /** A serializer whose registry comes from {@code schema.registry.url} at {@link #configure}. */
  public AvroSerializer() {}

  /**
   * A serializer that uses {@code client}; {@link #configure} is then optional (defaults apply).
   */
  public AvroSerializer(SchemaRegistryClient client) {
    this.client = client;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AvroSerdeConfig parsed = AvroSerdeConfig.parse(configs, client != null);
    configure(
        parsed, client != null ? client : SchemaRegistryClient.forConfig(parsed.registry()), isKey);
  }

  void configure(AvroSerdeConfig parsed, SchemaRegistryClient registry, boolean key) {
    this.config = parsed;
    this.client = registry;
    this.isKey = key;
    this.latestVersions =
        new LatestVersions(
            registry,
            parsed.latestCompatibilityStrict(),
            parsed.latestCacheTtl(),
            System::nanoTime);
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    if (config == null) {
      if (client == null) {
        throw new IllegalStateException(
            "AvroSerializer used before configure(): set " + AvroSerdeConfig.SCHEMA_REGISTRY_URL);
      }
      configure(Map.of(), isKey);
    }
    String subject = topic + (isKey ? "-key" : "-value");
    Schema schema = WriterSchema.of(data);
    int id;
    try {
      if (config.autoRegisterSchemas()) {
        id = client.register(subject, schema);
      } else if (config.useLatestVersion()) {
        RegisteredSchema latest = latestVersions.get(subject, schema);
        id = latest.id();
        schema = latest.schema();
      } else {
        id = client.lookup(subject, schema);
      }
    } catch (SchemaRegistryException e) {
      throw e.toKafkaException(
          "Cannot get a schema id for subject '" + subject + "' (" + schema.getFullName() + ")");
    }
    return write(data, schema, id, subject);
  }

  private byte[] write(Object data, Schema schema, int id, String subject) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    ConfluentWireFormat.writeHeader(out, id);
    try {
      if (schema.getType() == Schema.Type.BYTES) {
        // Confluent writes a bytes schema's value raw, without Avro's length prefix.
        out.write(data instanceof ByteBuffer buffer ? bytes(buffer) : (byte[]) data);
      } else {
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer(schema, data).write(data, encoder);
        encoder.flush();
      }
    } catch (IOException | RuntimeException e) {
      // Avro reports a record that does not fit its schema with NPEs, ClassCastExceptions,
      // AvroRuntimeExceptions.
      throw new SerializationException(
          "Cannot write "
              + data.getClass().getName()
              + " as Avro schema "
              + schema.getFullName()
              + " (id "
              + id
              + ", subject '"
              + subject
              + "'): "
              + e,
          e);
    }
    return out.toByteArray();
  }

  private DatumWriter<Object> writer(Schema schema, Object data) {
    Class<?> specific = data instanceof SpecificRecord ? data.getClass() : null;
    if (specific != null) {
      GeneratedClasses.trust();
    }
    return writers.computeIfAbsent(
        new WriterKey(schema, specific),
        key ->
            key.specificClass() == null
                ? new GenericDatumWriter<>(key.schema(), GenericData.get())
                : new SpecificDatumWriter<>(
                    key.schema(), SpecificData.getForClass(key.specificClass())));
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] copy = new byte[buffer.remaining()];
    buffer.duplicate().get(copy);
    return copy;
  }
}
