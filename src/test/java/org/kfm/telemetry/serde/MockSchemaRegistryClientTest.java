package org.kfm.telemetry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.serde.fixtures.Reading;

class MockSchemaRegistryClientTest {

  @AfterEach
  void dropScopes() {
    MockSchemaRegistryClient.dropScope("scope-a");
    MockSchemaRegistryClient.dropScope("scope-b");
  }

  @Test
  void shouldAssignIdsInOrderAndVersionsPerSubject() throws Exception {
    // Given
    MockSchemaRegistryClient registry = new MockSchemaRegistryClient();

    // When
    int v1 = registry.register("readings-value", TestSchemas.READING_V1);
    int v2 = registry.register("readings-value", Reading.SCHEMA$);
    int again = registry.register("readings-value", TestSchemas.READING_V1);
    int elsewhere = registry.register("archive-value", Reading.SCHEMA$);

    // Then
    assertThat(v1).isEqualTo(1);
    assertThat(v2).isEqualTo(2);
    assertThat(again).isEqualTo(1);
    assertThat(elsewhere).isEqualTo(2);
    assertThat(registry.getLatest("readings-value"))
        .isEqualTo(new RegisteredSchema("readings-value", 2, 2, Reading.SCHEMA$));
    assertThat(registry.getById(1)).isEqualTo(TestSchemas.READING_V1);
    assertThat(registry.testCompatibility("readings-value", TestSchemas.INCOMPATIBLE)).isFalse();
  }

  @Test
  void shouldShareOneRegistryPerScopeAndKeepScopesApart() {
    // Given
    AvroSerde<GenericRecord> writerA = serde("scope-a");
    AvroSerde<GenericRecord> readerA = serde("scope-a");
    AvroSerde<GenericRecord> readerB = serde("scope-b");

    // When
    byte[] bytes =
        writerA.serializer().serialize("readings", TestSchemas.readingV1("meter-1", 1.0));

    // Then
    assertThat(readerA.deserializer().deserialize("readings", bytes).get("sensor"))
        .hasToString("meter-1");
    assertThatThrownBy(() -> readerB.deserializer().deserialize("readings", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Schema 1 not found");
  }

  @Test
  void shouldStartAfreshAfterAScopeIsDropped() throws Exception {
    // Given
    MockSchemaRegistryClient.forScope("scope-a").register("readings-value", TestSchemas.READING_V1);

    // When
    MockSchemaRegistryClient.dropScope("scope-a");

    // Then
    assertThatThrownBy(
            () -> MockSchemaRegistryClient.forScope("scope-a").getLatest("readings-value"))
        .isInstanceOf(SchemaRegistryException.class)
        .extracting(e -> ((SchemaRegistryException) e).errorCode())
        .isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
  }

  private static AvroSerde<GenericRecord> serde(String scope) {
    AvroSerde<GenericRecord> serde = new GenericAvroSerde();
    serde.configure(Map.of("schema.registry.url", "mock://" + scope), false);
    return serde;
  }
}
