package org.kfm.telemetry.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;
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

  /**
   * What a thread encodes into: grown to the largest record it wrote (up to a bound), then kept.
   */
  private static final class Scratch extends ByteArrayOutputStream {
    /** Larger buffers are dropped after use, so one huge record does not pin its size. */
    static final int KEPT_BYTES = 64 * 1024;

    BinaryEncoder encoder;

    Scratch() {
      super(1024);
    }

    byte[] copy() {
      return Arrays.copyOf(buf, count);
    }

    boolean oversized() {
      return buf.length > KEPT_BYTES;
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** The writer used last (for the same schema and class again, no key is built nor hashed). */
  private record LastWriter(Schema schema, Class<?> specificClass, DatumWriter<Object> writer) {}

  private final Map<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
  private final Map<String, String> subjects = new ConcurrentHashMap<>();
  private volatile LastWriter lastWriter;
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
    configureIfNeeded();
    String subject = subject(topic);
    Writer writer = writerOf(subject, WriterSchema.of(data));
    return write(data, writer.schema(), writer.id(), subject);
  }

  /**
   * Writes a datum of {@code schema} that {@code body} encodes itself (Avro's binary form, no
   * header), in the Confluent wire format under the subject and schema id {@link #serialize} gives
   * a record of {@code schema}, with the same errors; or returns null when that subject's writer
   * schema is another ({@code use.latest.version} chose a different one), for the caller to
   * serialize its record instead.
   */
  public byte[] serialize(String topic, Schema schema, Body body) {
    configureIfNeeded();
    String subject = subject(topic);
    Writer writer = writerOf(subject, schema);
    if (!writer.schema().equals(schema)) {
      return null;
    }
    return write(body, writer.schema(), writer.id(), subject);
  }

  /** Writes the Avro binary form of one datum. */
  @FunctionalInterface
  public interface Body {
    void write(Encoder out) throws IOException;
  }

  private record Writer(int id, Schema schema) {}

  /** The schema and id a datum of {@code schema} is written with under {@code subject}. */
  private Writer writerOf(String subject, Schema schema) {
    try {
      if (config.autoRegisterSchemas()) {
        return new Writer(client.register(subject, schema), schema);
      } else if (config.useLatestVersion()) {
        RegisteredSchema latest = latestVersions.get(subject, schema);
        return new Writer(latest.id(), latest.schema());
      } else {
        return new Writer(client.lookup(subject, schema), schema);
      }
    } catch (SchemaRegistryException e) {
      throw e.toKafkaException(
          "Cannot get a schema id for subject '" + subject + "' (" + schema.getFullName() + ")");
    }
  }

  /** Configures this serializer with the defaults when it was given only a client. */
  private void configureIfNeeded() {
    if (config == null) {
      if (client == null) {
        throw new IllegalStateException(
            "AvroSerializer used before configure(): set " + AvroSerdeConfig.SCHEMA_REGISTRY_URL);
      }
      configure(Map.of(), isKey);
    }
  }

  private String subject(String topic) {
    String subject = subjects.get(topic);
    if (subject == null) {
      subject = topic + (isKey ? "-key" : "-value");
      subjects.putIfAbsent(topic, subject);
    }
    return subject;
  }

  private byte[] write(Object data, Schema schema, int id, String subject) {
    Scratch out = SCRATCH.get();
    out.reset();
    ConfluentWireFormat.writeHeader(out, id);
    try {
      if (data instanceof Body body) {
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, out.encoder);
        out.encoder = encoder;
        body.write(encoder);
        encoder.flush();
      } else if (schema.getType() == Schema.Type.BYTES) {
        // Confluent writes a bytes schema's value raw, without Avro's length prefix.
        out.write(data instanceof ByteBuffer buffer ? bytes(buffer) : (byte[]) data);
      } else {
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, out.encoder);
        out.encoder = encoder;
        writer(schema, data).write(data, encoder);
        encoder.flush();
      }
      return out.copy();
    } catch (IOException | RuntimeException e) {
      // The encoder may hold bytes of the half-written record, which it would flush into the next.
      SCRATCH.remove();
      // Avro reports a record that does not fit its schema with NPEs, ClassCastExceptions,
      // AvroRuntimeExceptions.
      throw new SerializationException(
          "Cannot write "
              + (data instanceof Body ? "a datum" : data.getClass().getName())
              + " as Avro schema "
              + schema.getFullName()
              + " (id "
              + id
              + ", subject '"
              + subject
              + "'): "
              + e,
          e);
    } finally {
      if (out.oversized()) {
        SCRATCH.remove();
      }
    }
  }

  private DatumWriter<Object> writer(Schema schema, Object data) {
    Class<?> specific = data instanceof SpecificRecord ? data.getClass() : null;
    LastWriter last = lastWriter;
    if (last != null && last.schema() == schema && last.specificClass() == specific) {
      return last.writer();
    }
    if (specific != null) {
      GeneratedClasses.trust();
    }
    DatumWriter<Object> writer =
        writers.computeIfAbsent(
            new WriterKey(schema, specific),
            key ->
                key.specificClass() == null
                    ? new GenericDatumWriter<>(key.schema(), GenericData.get())
                    : new SpecificDatumWriter<>(
                        key.schema(), SpecificData.getForClass(key.specificClass())));
    lastWriter = new LastWriter(schema, specific, writer);
    return writer;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] copy = new byte[buffer.remaining()];
    buffer.duplicate().get(copy);
    return copy;
  }
}
