package org.kfm.telemetry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.serde.fixtures.NotAvro;
import org.kfm.telemetry.serde.fixtures.Reading;

class AvroDeserializerTest {

  private static final String SCOPE = "avro-deserializer-test";
  private static final String TOPIC = "kfm.telemetry.valid";

  @AfterEach
  void dropScope() {
    MockSchemaRegistryClient.dropScope(SCOPE);
  }

  @Test
  void shouldRoundTripAGenericRecord() {
    // Given
    AvroSerde<GenericRecord> serde = serde(new GenericAvroSerde(), Map.of());
    GenericRecord record = TestSchemas.readingV1("meter-7", 12.25, "roof");

    // When
    GenericRecord read =
        serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, record));

    // Then
    assertThat(read).isEqualTo(record);
  }

  @Test
  void shouldRoundTripASpecificRecord() {
    // Given
    AvroSerde<Reading> serde = serde(new SpecificAvroSerde<>(), Map.of());
    Reading reading = new Reading("meter-7", 12.25, "Wh");

    // When
    Reading read =
        serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, reading));

    // Then
    assertThat(read).isEqualTo(reading);
    assertThat(read.unit()).isEqualTo("Wh");
  }

  @Test
  void shouldResolveAnOlderWriterSchemaToTheGeneratedClass() {
    // Given
    byte[] v1 =
        serde(new GenericAvroSerde(), Map.of())
            .serializer()
            .serialize(TOPIC, TestSchemas.readingV1("meter-7", 12.25, "dropped-in-v2"));
    AvroDeserializer<Object> deserializer = new AvroDeserializer<>();
    deserializer.configure(
        Map.of("schema.registry.url", "mock://" + SCOPE, "specific.avro.reader", "true"), false);

    // When
    Object read = deserializer.deserialize(TOPIC, v1);

    // Then
    assertThat(read).isEqualTo(new Reading("meter-7", 12.25, "kWh"));
  }

  @Test
  void shouldReadGenericRecordsByDefaultEvenForAGeneratedClass() {
    // Given
    AvroSerde<Object> serde = serde(new AvroSerde<>(), Map.of());

    // When
    Object read =
        serde
            .deserializer()
            .deserialize(
                TOPIC, serde.serializer().serialize(TOPIC, new Reading("meter-7", 1.0, "Wh")));

    // Then
    assertThat(read).isInstanceOf(GenericData.Record.class);
    assertThat(((GenericRecord) read).get("unit")).hasToString("Wh");
  }

  @Test
  void shouldReadPrimitivesAsConfluentDoes() {
    // Given
    AvroSerde<Object> serde = serde(new AvroSerde<>(), Map.of());

    // When / Then
    assertThat(
            serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, "run-42")))
        .isEqualTo("run-42");
    assertThat(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, 42L)))
        .isEqualTo(42L);
    assertThat(
            serde
                .deserializer()
                .deserialize(TOPIC, serde.serializer().serialize(TOPIC, new byte[] {1, 2})))
        .isEqualTo(new byte[] {1, 2});
  }

  @Test
  void shouldReadNullAsNull() {
    // Given
    AvroSerde<Object> serde = serde(new AvroSerde<>(), Map.of());

    // When / Then
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
  }

  @Test
  void shouldLetItsCallerReadTheBodyOfItsOwnSchemaOnly() {
    // Given a record written with schema v1, and readers of its first field
    AvroSerde<GenericRecord> serde = serde(new GenericAvroSerde(), Map.of());
    AvroDeserializer<GenericRecord> deserializer = serde.deserializer();
    byte[] bytes = serde.serializer().serialize(TOPIC, TestSchemas.readingV1("meter-7", 12.25));
    AvroDeserializer.BodyReader<String> sensor = in -> in.readString();
    AvroDeserializer.BodyReader<String> never =
        in -> {
          throw new AssertionError("must not be asked to read");
        };

    // When / Then the caller reads what it needs of a body of its schema; of another schema, or
    // of null, it is given nothing to read; a truncated body fails as a whole record does
    String read = deserializer.deserialize(TOPIC, bytes, TestSchemas.READING_V1, sensor);
    assertThat(read).isEqualTo("meter-7");
    String other = deserializer.deserialize(TOPIC, bytes, Reading.SCHEMA$, never);
    assertThat(other).isNull();
    String none = deserializer.deserialize(TOPIC, null, TestSchemas.READING_V1, never);
    assertThat(none).isNull();
    byte[] truncated = Arrays.copyOf(bytes, 6);
    assertThatThrownBy(
            () -> deserializer.deserialize(TOPIC, truncated, TestSchemas.READING_V1, sensor))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("ends early");
  }

  @Test
  void shouldRejectATruncatedBody() {
    // Given
    AvroSerde<GenericRecord> serde = serde(new GenericAvroSerde(), Map.of());
    byte[] whole = serde.serializer().serialize(TOPIC, TestSchemas.readingV1("meter-7", 12.25));
    byte[] truncated = Arrays.copyOf(whole, whole.length - 3);

    // When / Then
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("ends early");
  }

  @Test
  void shouldRejectAnotherMagicByte() {
    // Given
    AvroSerde<GenericRecord> serde = serde(new GenericAvroSerde(), Map.of());

    // When / Then
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {1, 0, 0, 0, 1, 2}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Unknown magic byte 0x01");
  }

  @Test
  void shouldRejectAnUnknownSchemaIdAsBadData() {
    // Given
    AvroSerde<GenericRecord> serde = serde(new GenericAvroSerde(), Map.of());

    // When / Then
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 0, 0, 9, 2}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("id 9")
        .cause()
        .isInstanceOf(SchemaRegistryException.class)
        .extracting(e -> ((SchemaRegistryException) e).errorCode())
        .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
  }

  @Test
  void shouldRejectTrailingBytesOnlyWhenAskedTo() {
    // Given
    AvroSerde<GenericRecord> lenient = serde(new GenericAvroSerde(), Map.of());
    AvroSerde<GenericRecord> strict =
        serde(new GenericAvroSerde(), Map.of("avro.fail.on.trailing.data", true));
    byte[] whole = lenient.serializer().serialize(TOPIC, TestSchemas.readingV1("meter-7", 12.25));
    byte[] padded = Arrays.copyOf(whole, whole.length + 2);

    // When / Then
    assertThat(lenient.deserializer().deserialize(TOPIC, padded).get("sensor"))
        .hasToString("meter-7");
    assertThatThrownBy(() -> strict.deserializer().deserialize(TOPIC, padded))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("left over");
  }

  @Test
  void shouldExplainAMissingGeneratedClass() {
    // Given
    Schema unknown =
        new Schema.Parser()
            .parse(
                """
        {"type": "record", "name": "NotGenerated", "namespace": "org.kfm.nowhere",
         "fields": [{"name": "n", "type": "int"}]}""");
    GenericRecord record = new GenericData.Record(unknown);
    record.put("n", 1);
    byte[] bytes = serde(new GenericAvroSerde(), Map.of()).serializer().serialize(TOPIC, record);
    AvroSerde<Reading> specific = serde(new SpecificAvroSerde<>(), Map.of());

    // When / Then
    assertThatThrownBy(() -> specific.deserializer().deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("No generated class org.kfm.nowhere.NotGenerated");
  }

  @Test
  void shouldNotLoadAClassTheAvroCompilerDidNotGenerate() {
    // Given
    Schema hostile =
        new Schema.Parser()
            .parse(
                """
        {"type": "record", "name": "NotAvro", "namespace": "org.kfm.telemetry.serde.fixtures",
         "fields": [{"name": "n", "type": "int"}]}""");
    GenericRecord record = new GenericData.Record(hostile);
    record.put("n", 1);
    byte[] bytes = serde(new GenericAvroSerde(), Map.of()).serializer().serialize(TOPIC, record);
    AvroSerde<Reading> specific = serde(new SpecificAvroSerde<>(), Map.of());

    // When / Then
    assertThatThrownBy(() -> specific.deserializer().deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("does not trust the class org.kfm.telemetry.serde.fixtures.NotAvro");
    assertThat(NotAvro.Witness.INITIALIZED).isFalse();
  }

  private static <T, S extends AvroSerde<T>> S serde(S serde, Map<String, Object> overrides) {
    Map<String, Object> configs = new HashMap<>(overrides);
    configs.put("schema.registry.url", "mock://" + SCOPE);
    serde.configure(configs, false);
    return serde;
  }
}
