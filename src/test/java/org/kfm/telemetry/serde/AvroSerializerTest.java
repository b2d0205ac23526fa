package org.kfm.telemetry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.serde.fixtures.Reading;

class AvroSerializerTest {

  private static final String SCOPE = "avro-serializer-test";
  private static final String TOPIC = "kfm.telemetry.valid";

  @AfterEach
  void dropScope() {
    MockSchemaRegistryClient.dropScope(SCOPE);
  }

  @Test
  void shouldWriteMagicByteSchemaIdAndAPlainAvroBody() throws Exception {
    // Given
    MockSchemaRegistryClient.forScope(SCOPE).register("other-value", TestSchemas.INCOMPATIBLE);
    AvroSerializer<GenericRecord> serializer = serializer(Map.of());
    GenericRecord record = TestSchemas.readingV1("meter-7", 12.25, "roof", "east");

    // When
    byte[] bytes = serializer.serialize(TOPIC, record);

    // Then
    int id =
        MockSchemaRegistryClient.forScope(SCOPE).lookup(TOPIC + "-value", TestSchemas.READING_V1);
    assertThat(id).isEqualTo(2);
    assertThat(bytes[0]).isEqualTo((byte) 0);
    assertThat(Arrays.copyOfRange(bytes, 1, 5)).containsExactly(0, 0, 0, 2);
    GenericRecord decoded =
        new GenericDatumReader<GenericRecord>(TestSchemas.READING_V1)
            .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
    assertThat(decoded).isEqualTo(record);
  }

  @Test
  void shouldRegisterUnderTheTopicKeyOrValueSubject() throws Exception {
    // Given
    AvroSerializer<Object> keys = new AvroSerializer<>();
    keys.configure(Map.of("schema.registry.url", "mock://" + SCOPE), true);

    // When
    keys.serialize(TOPIC, "run-42");
    serializer(Map.of()).serialize(TOPIC, TestSchemas.readingV1("meter-7", 1.0));

    // Then
    MockSchemaRegistryClient registry = MockSchemaRegistryClient.forScope(SCOPE);
    assertThat(registry.getLatest(TOPIC + "-key").schema().getType()).isEqualTo(Schema.Type.STRING);
    assertThat(registry.getLatest(TOPIC + "-value").schema()).isEqualTo(TestSchemas.READING_V1);
  }

  @Test
  void shouldGiveTheSameSchemaTheSameId() {
    // Given
    AvroSerializer<GenericRecord> first = serializer(Map.of());
    AvroSerializer<GenericRecord> second = serializer(Map.of());

    // When
    byte[] a = first.serialize(TOPIC, TestSchemas.readingV1("meter-1", 1.0));
    byte[] b = second.serialize(TOPIC, TestSchemas.readingV1("meter-2", 2.0));

    // Then
    assertThat(ConfluentWireFormat.schemaId(a))
        .isEqualTo(1)
        .isEqualTo(ConfluentWireFormat.schemaId(b));
  }

  @Test
  void shouldWriteNullAsNull() {
    // Given
    AvroSerializer<GenericRecord> serializer = serializer(Map.of());

    // When / Then
    assertThat(serializer.serialize(TOPIC, null)).isNull();
  }

  @Test
  void shouldWriteABytesSchemaRawLikeConfluent() {
    // Given
    AvroSerializer<Object> serializer = serializer(Map.of());

    // When
    byte[] array = serializer.serialize(TOPIC, new byte[] {7, 8, 9});
    byte[] buffer = serializer.serialize(TOPIC, ByteBuffer.wrap(new byte[] {6, 7, 8, 9}, 1, 3));

    // Then
    assertThat(array).containsExactly(0, 0, 0, 0, 1, 7, 8, 9);
    assertThat(buffer).containsExactly(array);
  }

  @Test
  void shouldOnlyLookUpWhenAutoRegistrationIsOff() throws Exception {
    // Given
    AvroSerializer<GenericRecord> serializer = serializer(Map.of("auto.register.schemas", "false"));
    GenericRecord record = TestSchemas.readingV1("meter-1", 1.0);

    // When / Then
    assertThatThrownBy(() -> serializer.serialize(TOPIC, record))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Subject '" + TOPIC + "-value' not found")
        .cause()
        .isInstanceOf(SchemaRegistryException.class);
    int id =
        MockSchemaRegistryClient.forScope(SCOPE).register(TOPIC + "-value", TestSchemas.READING_V1);
    assertThat(ConfluentWireFormat.schemaId(serializer.serialize(TOPIC, record))).isEqualTo(id);
  }

  @Test
  void shouldWriteWithTheLatestVersionWhenAskedTo() throws Exception {
    // Given
    MockSchemaRegistryClient registry = MockSchemaRegistryClient.forScope(SCOPE);
    registry.register("unrelated-value", TestSchemas.INCOMPATIBLE);
    int latest = registry.register(TOPIC + "-value", Reading.SCHEMA$);
    AvroSerializer<Reading> serializer =
        serializer(Map.of("auto.register.schemas", false, "use.latest.version", true));

    // When
    byte[] bytes = serializer.serialize(TOPIC, new Reading("meter-1", 3.5, "Wh"));

    // Then
    assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(latest).isEqualTo(2);
    assertThat(registry.getLatest(TOPIC + "-value").version()).isEqualTo(1);
  }

  @Test
  void shouldWriteADatumItsCallerEncodesAsItWritesTheRecord() {
    // Given a record, and the same record encoded by its caller
    AvroSerializer<GenericRecord> serializer = serializer(Map.of());
    GenericRecord record = TestSchemas.readingV1("meter-7", 12.25, "roof", "east");

    // When both are written
    byte[] whole = serializer.serialize(TOPIC, record);
    byte[] encoded =
        serializer.serialize(
            TOPIC,
            TestSchemas.READING_V1,
            out ->
                new GenericDatumWriter<GenericRecord>(TestSchemas.READING_V1).write(record, out));

    // Then the bytes are the same: header, schema id, body
    assertThat(encoded).isEqualTo(whole);
  }

  @Test
  void shouldLeaveADatumToItsCallerWhenTheLatestVersionIsAnother() throws Exception {
    // Given a subject whose latest schema is not the one the caller encodes
    MockSchemaRegistryClient.forScope(SCOPE).register(TOPIC + "-value", Reading.SCHEMA$);
    AvroSerializer<GenericRecord> serializer =
        serializer(
            Map.of(
                "auto.register.schemas",
                false,
                "use.latest.version",
                true,
                "latest.compatibility.strict",
                false));

    // When / Then nothing is written: the caller serializes its record instead
    assertThat(
            serializer.serialize(
                TOPIC,
                TestSchemas.READING_V1,
                out -> {
                  throw new AssertionError("must not be asked to encode");
                }))
        .isNull();
  }

  @Test
  void shouldRefuseALatestVersionThatCannotReadTheRecord() throws Exception {
    // Given
    MockSchemaRegistryClient.forScope(SCOPE).register(TOPIC + "-value", TestSchemas.INCOMPATIBLE);
    AvroSerializer<GenericRecord> serializer =
        serializer(Map.of("auto.register.schemas", false, "use.latest.version", true));

    // When / Then
    assertThatThrownBy(() -> serializer.serialize(TOPIC, TestSchemas.readingV1("meter-1", 1.0)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("latest.compatibility.strict=false");
  }

  @Test
  void shouldExplainARecordThatDoesNotFitItsSchema() {
    // Given
    AvroSerializer<GenericRecord> serializer = serializer(Map.of());
    GenericRecord missingSensor = TestSchemas.readingV1(null, 1.0);

    // When / Then
    assertThatThrownBy(() -> serializer.serialize(TOPIC, missingSensor))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(
            "Cannot write org.apache.avro.generic.GenericData$Record as Avro schema "
                + "org.kfm.telemetry.serde.fixtures.Reading");
  }

  @Test
  void shouldWriteTheNextRecordWholeAfterOneFailedHalfWay() {
    // Given: the sensor and value are written before the tag that is not a string fails
    AvroSerializer<GenericRecord> serializer = serializer(Map.of());
    GenericRecord good = TestSchemas.readingV1("meter-7", 12.25, "roof");
    byte[] expected = serializer(Map.of()).serialize(TOPIC, good);
    GenericRecord halfWritable = TestSchemas.readingV1("meter-8", 3.5);
    halfWritable.put("tags", List.of("roof", 7));
    assertThatThrownBy(() -> serializer.serialize(TOPIC, halfWritable))
        .isInstanceOf(SerializationException.class);

    // When
    byte[] bytes = serializer.serialize(TOPIC, good);

    // Then
    assertThat(bytes).containsExactly(expected);
  }

  @Test
  void shouldWriteRecordsLargerThanItsBufferAndSmallOnesAfterThem() throws Exception {
    // Given
    AvroSerializer<GenericRecord> serializer = serializer(Map.of());
    GenericRecord large = TestSchemas.readingV1("meter-7", 1.0, "x".repeat(200_000), "y");
    GenericRecord small = TestSchemas.readingV1("meter-8", 2.0, "roof");

    // When
    byte[] first = serializer.serialize(TOPIC, large);
    byte[] second = serializer.serialize(TOPIC, small);

    // Then
    assertThat(decode(first)).isEqualTo(large);
    assertThat(decode(second)).isEqualTo(small);
    assertThat(second).hasSizeLessThan(40);
  }

  @Test
  void shouldWriteFromManyThreadsAtOnce() throws Exception {
    // Given: one serializer, as Kafka Streams shares it between its stream threads
    AvroSerializer<GenericRecord> serializer = serializer(Map.of());
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 2_000; i++) {
                    GenericRecord record =
                        TestSchemas.readingV1("meter-" + thread, i, "t".repeat(i % 300));
                    if (!decode(serializer.serialize(TOPIC, record)).equals(record)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }

      // When / Then
      for (Future<Boolean> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private static GenericRecord decode(byte[] bytes) throws IOException {
    return new GenericDatumReader<GenericRecord>(TestSchemas.READING_V1)
        .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
  }

  @Test
  void shouldRefuseAValueThatIsNotAvro() {
    // Given
    AvroSerializer<Object> serializer = serializer(Map.of());

    // When / Then
    assertThatThrownBy(() -> serializer.serialize(TOPIC, new ArrayList<>()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Cannot write a java.util.ArrayList as Avro");
  }

  private static <T> AvroSerializer<T> serializer(Map<String, Object> overrides) {
    Map<String, Object> configs = new HashMap<>(overrides);
    configs.put("schema.registry.url", "mock://" + SCOPE);
    AvroSerializer<T> serializer = new AvroSerializer<>();
    serializer.configure(configs, false);
    return serializer;
  }
}
