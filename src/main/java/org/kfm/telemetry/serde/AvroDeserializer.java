package org.kfm.telemetry.serde;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the Confluent wire format as Confluent's {@code KafkaAvroDeserializer} does: the
 * writer schema comes from the registry by the record's schema id; the reader schema is the writer
 * schema ({@code GenericRecord}s) or, with {@code specific.avro.reader=true}, the schema of the
 * generated class the writer schema names (Avro schema resolution fills defaults and drops removed
 * fields). Primitives come back as Java primitives ({@code String}, not {@code Utf8}, at the top
 * level; {@code byte[]} for bytes). {@code null} is read as {@code null}. A record that is not in
 * the wire format, is truncated, or names an unknown schema id fails with a {@link
 * SerializationException}; an unreachable registry with {@link SchemaRegistryUnavailableException}.
 *
 * @param <T> the record type
 */
public class AvroDeserializer<T> implements Deserializer<T> {

  private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();
  private SchemaRegistryClient client;
  private AvroSerdeConfig config;

  /** A deserializer whose registry comes from {@code schema.registry.url} at {@link #configure}. */
  public AvroDeserializer() {}

  /**
   * A deserializer that uses {@code client}; {@link #configure} is then optional (defaults apply).
   */
  public AvroDeserializer(SchemaRegistryClient client) {
    this.client = client;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AvroSerdeConfig parsed = AvroSerdeConfig.parse(configs, client != null);
    configure(parsed, client != null ? client : SchemaRegistryClient.forConfig(parsed.registry()));
  }

  void configure(AvroSerdeConfig parsed, SchemaRegistryClient registry) {
    this.config = parsed;
    this.client = registry;
    readers.clear();
    if (parsed.specificAvroReader()) {
      GeneratedClasses.trust();
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    configureIfNeeded();
    int id = ConfluentWireFormat.schemaId(bytes);
    Schema writer = writerOf(id, topic);
    if (writer.getType() == Schema.Type.BYTES) {
      // Confluent writes a bytes schema's value raw, without Avro's length prefix.
      return (T) Arrays.copyOfRange(bytes, ConfluentWireFormat.HEADER_SIZE, bytes.length);
    }
    DatumReader<Object> reader;
    try {
      reader = readers.computeIfAbsent(id, ignored -> reader(writer));
    } catch (SerializationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SerializationException(
          "Cannot read records of schema id " + id + " (" + writer.getFullName() + "): " + e, e);
    }
    Object result = readBody(topic, id, bytes, in -> reader.read(null, in), true);
    return (T) (writer.getType() == Schema.Type.STRING ? result.toString() : result);
  }

  /**
   * Reads a datum with {@code body} (from Avro's binary form, which it need not read to its end)
   * when {@code bytes} were written with {@code schema}, with the errors of {@link #deserialize};
   * returns null for null bytes, or when they were written with another schema, for the caller to
   * deserialize them whole instead.
   */
  public <R> R deserialize(String topic, byte[] bytes, Schema schema, BodyReader<R> body) {
    if (bytes == null) {
      return null;
    }
    configureIfNeeded();
    int id = ConfluentWireFormat.schemaId(bytes);
    if (!writerOf(id, topic).equals(schema)) {
      return null;
    }
    return readBody(topic, id, bytes, body, false);
  }

  /** Reads (part of) the Avro binary form of one datum. */
  @FunctionalInterface
  public interface BodyReader<R> {
    R read(Decoder in) throws IOException;
  }

  private void configureIfNeeded() {
    if (config == null) {
      if (client == null) {
        throw new IllegalStateException(
            "AvroDeserializer used before configure(): set " + AvroSerdeConfig.SCHEMA_REGISTRY_URL);
      }
      configure(Map.of(), false);
    }
  }

  private Schema writerOf(int id, String topic) {
    try {
      return client.getById(id);
    } catch (SchemaRegistryException e) {
      throw e.toKafkaException(
          "Cannot get the writer schema of id " + id + " for a record of topic '" + topic + "'");
    }
  }

  private <R> R readBody(String topic, int id, byte[] bytes, BodyReader<R> body, boolean whole) {
    int length = bytes.length - ConfluentWireFormat.HEADER_SIZE;
    BinaryDecoder decoder =
        DecoderFactory.get().binaryDecoder(bytes, ConfluentWireFormat.HEADER_SIZE, length, null);
    R result;
    try {
      result = body.read(decoder);
      if (whole && config.failOnTrailingData() && !decoder.isEnd()) {
        throw new SerializationException(
            "Bytes left over after the Avro body of schema id "
                + id
                + " in topic '"
                + topic
                + "' ("
                + AvroSerdeConfig.AVRO_FAIL_ON_TRAILING_DATA
                + "=true)");
      }
    } catch (EOFException e) {
      throw new SerializationException(
          "Avro body of "
              + length
              + " byte(s) for schema id "
              + id
              + " in topic '"
              + topic
              + "' ends early: the record is truncated or was not written with that schema",
          e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof SerializationException serialization) {
        throw serialization;
      }
      // Avro reports corrupt data with AvroRuntimeExceptions, array index errors, negative
      // lengths...
      throw new SerializationException(
          "Cannot read the Avro body of schema id " + id + " in topic '" + topic + "': " + e, e);
    }
    return result;
  }

  private DatumReader<Object> reader(Schema writer) {
    if (!config.specificAvroReader()) {
      return new GenericDatumReader<>(writer, writer, GenericData.get());
    }
    Schema reader = ReaderSchemas.specific(writer);
    return new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
  }
}
