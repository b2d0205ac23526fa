package org.kfm.telemetry.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kfm.telemetry.serde.GenericAvroSerde;
import org.kfm.telemetry.serde.TestSchemas;
import org.kfm.telemetry.testing.InProcessKafka;

/**
 * The registry in durable mode on a real broker: its schemas topic is compacted and holds
 * Confluent's own records, and a new registry on the same topic answers what the previous one did.
 */
class EmbeddedSchemaRegistryDurableIntegrationTest {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String V1 = ExampleSchemas.V1;
  private static final String V2 = ExampleSchemas.V2;
  private static final String OTHER = ExampleSchemas.OTHER;
  private static final String GONE = "{\"type\":\"record\",\"name\":\"Gone\",\"fields\":[]}";

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldKeepIdsVersionsConfigsAndDeletesAcrossARestart() throws Exception {
    // Given a registry that registered, configured and deleted, then stopped
    String topic = "_schemas-restart";
    try (EmbeddedSchemaRegistry first =
        EmbeddedSchemaRegistry.startDurable(0, KAFKA.bootstrapServers(), topic, 0)) {
      assertThat(register(first, "a-value", V1)).isEqualTo(1);
      assertThat(register(first, "a-value", V2)).isEqualTo(2);
      assertThat(register(first, "b-value", OTHER)).isEqualTo(3);
      assertThat(register(first, "c-value", GONE)).isEqualTo(4);
      call(first, "PUT", "/config", "{\"compatibility\":\"FULL\"}");
      call(first, "PUT", "/config/b-value", "{\"compatibility\":\"NONE\"}");
      call(first, "DELETE", "/subjects/c-value", null);
      call(first, "DELETE", "/subjects/a-value/versions/1", null);
    }

    // When a new registry starts on the same topic
    try (EmbeddedSchemaRegistry second =
        EmbeddedSchemaRegistry.startDurable(0, KAFKA.bootstrapServers(), topic, 0)) {
      // Then it answers what the first one did
      assertThat(call(second, "GET", "/subjects", null).toString())
          .isEqualTo("[\"a-value\",\"b-value\"]");
      assertThat(call(second, "GET", "/subjects?deleted=true", null).toString())
          .isEqualTo("[\"a-value\",\"b-value\",\"c-value\"]");
      assertThat(call(second, "GET", "/subjects/a-value/versions", null).toString())
          .isEqualTo("[2]");
      assertThat(call(second, "GET", "/subjects/a-value/versions?deleted=true", null).toString())
          .isEqualTo("[1,2]");
      JsonNode latest = call(second, "GET", "/subjects/a-value/versions/latest", null);
      assertThat(latest.path("version").asInt()).isEqualTo(2);
      assertThat(latest.path("id").asInt()).isEqualTo(2);
      assertThat(call(second, "GET", "/schemas/ids/3", null).path("schema").asText())
          .contains("Other");
      assertThat(call(second, "GET", "/schemas/ids/4", null).path("schema").asText())
          .as("a soft-deleted subject's ids stay readable")
          .contains("Gone");
      assertThat(call(second, "GET", "/config", null).path("compatibilityLevel").asText())
          .isEqualTo("FULL");
      assertThat(call(second, "GET", "/config/b-value", null).path("compatibilityLevel").asText())
          .isEqualTo("NONE");

      // and new ids and versions continue after the ones seen
      assertThat(register(second, "b-value", GONE)).as("a known schema keeps its id").isEqualTo(4);
      assertThat(register(second, "d-value", "\"string\"")).isEqualTo(5);
      assertThat(register(second, "a-value", V1))
          .as("re-registering a deleted version: its id, a new version")
          .isEqualTo(1);
      assertThat(call(second, "GET", "/subjects/a-value/versions", null).toString())
          .isEqualTo("[2,3]");
    }
  }

  @Test
  void shouldKeepConfluentRecordsInACompactedOnePartitionTopic() throws Exception {
    // Given
    String topic = "_schemas-format";
    try (EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.startDurable(0, KAFKA.bootstrapServers(), topic, 0)) {
      // When
      register(registry, "a-value", V1);
      call(registry, "PUT", "/config", "{\"compatibility\":\"FULL\"}");
      call(registry, "PUT", "/config/a-value", "{\"compatibility\":\"NONE\"}");
      call(registry, "DELETE", "/subjects/a-value", null);
      call(registry, "DELETE", "/subjects/a-value?permanent=true", null);
    }

    // Then
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      assertThat(
              admin
                  .describeConfigs(List.of(resource))
                  .all()
                  .get()
                  .get(resource)
                  .get("cleanup.policy")
                  .value())
          .isEqualTo("compact");
      assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
          .hasSize(1);
    }
    String schema =
        JSON.writeValueAsString(new org.apache.avro.Schema.Parser().parse(V1).toString());
    assertThat(records(topic))
        .containsExactly(
            "{\"keytype\":\"SCHEMA\",\"subject\":\"a-value\",\"version\":1,\"magic\":1} => "
                + "{\"subject\":\"a-value\",\"version\":1,\"id\":1,\"schema\":"
                + schema
                + ",\"deleted\":false}",
            "{\"keytype\":\"CONFIG\",\"magic\":0} => {\"compatibilityLevel\":\"FULL\"}",
            "{\"keytype\":\"CONFIG\",\"subject\":\"a-value\",\"magic\":0} => "
                + "{\"subject\":\"a-value\",\"compatibilityLevel\":\"NONE\"}",
            "{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"a-value\",\"magic\":0} => {\"subject\":\"a-value\",\"version\":1}",
            "{\"keytype\":\"SCHEMA\",\"subject\":\"a-value\",\"version\":1,\"magic\":1} => null",
            "{\"keytype\":\"CONFIG\",\"subject\":\"a-value\",\"magic\":0} => null");
  }

  @Test
  void shouldRoundTripTheSerdeThroughARestartedRegistry() throws Exception {
    // Given a record serialized through a durable registry that then stopped
    String topic = "_schemas-serde";
    GenericRecord reading = TestSchemas.readingV1("s-1", 21.5, "indoor");
    byte[] bytes;
    try (EmbeddedSchemaRegistry registry =
            EmbeddedSchemaRegistry.startDurable(0, KAFKA.bootstrapServers(), topic, 0);
        GenericAvroSerde serde = new GenericAvroSerde()) {
      serde.configure(Map.of("schema.registry.url", registry.url()), false);
      bytes = serde.serializer().serialize("readings", reading);
    }

    // When a fresh serde reads it through a new registry on the same topic
    try (EmbeddedSchemaRegistry registry =
            EmbeddedSchemaRegistry.startDurable(0, KAFKA.bootstrapServers(), topic, 0);
        GenericAvroSerde serde = new GenericAvroSerde()) {
      serde.configure(Map.of("schema.registry.url", registry.url()), false);
      GenericRecord read = serde.deserializer().deserialize("readings", bytes);

      // Then
      assertThat(read).isEqualTo(reading);
      assertThat(call(registry, "GET", "/subjects", null).toString())
          .isEqualTo("[\"readings-value\"]");
    }
  }

  private int register(EmbeddedSchemaRegistry registry, String subject, String schema)
      throws Exception {
    return call(
            registry,
            "POST",
            "/subjects/" + subject + "/versions",
            JSON.createObjectNode().put("schema", schema).toString())
        .path("id")
        .asInt();
  }

  private JsonNode call(EmbeddedSchemaRegistry registry, String method, String path, String body)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** Every record of the topic as {@code key => value}. */
  private static List<String> records(String topic) {
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    List<String> records = new ArrayList<>();
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          records.add(
              new String(r.key(), StandardCharsets.UTF_8)
                  + " => "
                  + (r.value() == null ? "null" : new String(r.value(), StandardCharsets.UTF_8)));
        }
      }
    }
    return records;
  }
}
