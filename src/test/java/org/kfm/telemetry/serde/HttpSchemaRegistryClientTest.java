package org.kfm.telemetry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.testing.FakeSchemaRegistry;

class HttpSchemaRegistryClientTest {

  private static final String SUBJECT = "kfm.telemetry.valid-value";

  private FakeSchemaRegistry registry;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startRegistry() throws IOException {
    registry = FakeSchemaRegistry.start();
  }

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  @Test
  void shouldRegisterFetchAndLookUpOverTheConfluentRestApi() throws Exception {
    // Given
    HttpSchemaRegistryClient client = client(Map.of());

    // When
    int id = client.register(SUBJECT, TestSchemas.READING_V1);
    RegisteredSchema latest = client(Map.of()).getLatest(SUBJECT);
    int lookedUp = client(Map.of()).lookup(SUBJECT, TestSchemas.READING_V1);

    // Then
    assertThat(id).isEqualTo(1);
    assertThat(latest).isEqualTo(new RegisteredSchema(SUBJECT, 1, 1, TestSchemas.READING_V1));
    assertThat(lookedUp).isEqualTo(1);
    assertThat(client(Map.of()).getById(1)).isEqualTo(TestSchemas.READING_V1);
    assertThat(registry.requests())
        .extracting(FakeSchemaRegistry.Request::method, FakeSchemaRegistry.Request::path)
        .containsExactly(
            tuple("POST", "/subjects/" + SUBJECT + "/versions"),
            tuple("GET", "/subjects/" + SUBJECT + "/versions/latest"),
            tuple("POST", "/subjects/" + SUBJECT),
            tuple("GET", "/schemas/ids/1"));
    assertThat(registry.requests().get(0).contentType())
        .isEqualTo("application/vnd.schemaregistry.v1+json");
  }

  @Test
  void shouldReportAnUnknownSubjectWithError40401WithoutRetrying() {
    // Given
    HttpSchemaRegistryClient client = client(Map.of());

    // When / Then
    assertThatThrownBy(() -> client.getLatest("unknown-value"))
        .asInstanceOf(type(SchemaRegistryException.class))
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
              assertThat(e.isUnavailable()).isFalse();
              assertThat(e.getMessage()).contains("Subject 'unknown-value' not found");
            });
    assertThat(registry.requests()).hasSize(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void shouldReportAnIncompatibleSchemaWith409() throws Exception {
    // Given
    HttpSchemaRegistryClient client = client(Map.of());
    client.register(SUBJECT, TestSchemas.READING_V1);

    // When / Then
    assertThatThrownBy(() -> client.register(SUBJECT, TestSchemas.INCOMPATIBLE))
        .asInstanceOf(type(SchemaRegistryException.class))
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
            });
    assertThat(client.testCompatibility(SUBJECT, TestSchemas.INCOMPATIBLE)).isFalse();
    assertThat(registry.requests()).hasSize(3);
  }

  @Test
  void shouldRetryAServerErrorAndThenSucceed() throws Exception {
    // Given
    registry.failNext(1, 503);
    HttpSchemaRegistryClient client = client(Map.of());

    // When
    int id = client.register(SUBJECT, TestSchemas.READING_V1);

    // Then
    assertThat(id).isEqualTo(1);
    assertThat(registry.requests()).hasSize(2);
    assertThat(sleeps).hasSize(1);
  }

  @Test
  void shouldGiveUpAfterTheConfiguredRetriesWhenTheRegistryKeepsFailing() {
    // Given
    registry.failNext(Integer.MAX_VALUE, 500);
    HttpSchemaRegistryClient client =
        client(Map.of("max.retries", 3, "retries.wait.ms", 100, "retries.max.wait.ms", 300));

    // When / Then
    assertThatThrownBy(() -> client.register(SUBJECT, TestSchemas.READING_V1))
        .asInstanceOf(type(SchemaRegistryException.class))
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo(500);
              assertThat(e.errorCode()).isEqualTo(50001);
              assertThat(e.isUnavailable()).isTrue();
            });
    assertThat(registry.requests()).hasSize(4);
    assertThat(sleeps).hasSize(3);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(150), Duration.ofMillis(300));
  }

  @Test
  void shouldNeverRetryAClientError() {
    // Given
    HttpSchemaRegistryClient client = client(Map.of());

    // When / Then
    assertThatThrownBy(() -> client.getById(99))
        .asInstanceOf(type(SchemaRegistryException.class))
        .extracting(SchemaRegistryException::errorCode)
        .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
    assertThat(registry.requests()).hasSize(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void shouldSendBasicCredentialsFromUserInfo() throws Exception {
    // Given
    registry.requireBasicAuth("svc-kfm", "s3cret:with-colon");
    HttpSchemaRegistryClient client =
        client(
            Map.of(
                "basic.auth.credentials.source",
                "USER_INFO",
                "basic.auth.user.info",
                "svc-kfm:s3cret:with-colon"));

    // When
    int id = client.register(SUBJECT, TestSchemas.READING_V1);

    // Then
    assertThat(id).isEqualTo(1);
    assertThat(registry.requests())
        .extracting(FakeSchemaRegistry.Request::authorization)
        .containsExactly("Basic c3ZjLWtmbTpzM2NyZXQ6d2l0aC1jb2xvbg==");
  }

  @Test
  void shouldSendBasicCredentialsFromTheUrlAndKeepThemOutOfMessages() {
    // Given
    registry.requireBasicAuth("svc-kfm", "right");
    String url = registry.url().replace("://", "://svc-kfm:wrong-pass@");
    HttpSchemaRegistryClient client = client(Map.of("schema.registry.url", url));

    // When / Then
    assertThatThrownBy(() -> client.register(SUBJECT, TestSchemas.READING_V1))
        .asInstanceOf(type(SchemaRegistryException.class))
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.getMessage()).contains(registry.url()).doesNotContain("wrong-pass");
            });
    assertThat(registry.requests())
        .singleElement()
        .extracting(FakeSchemaRegistry.Request::authorization)
        .isEqualTo("Basic c3ZjLWtmbTp3cm9uZy1wYXNz");
  }

  @Test
  void shouldMakeNoHttpCallForASchemaItAlreadyKnows() {
    // Given
    AvroSerde<GenericRecord> serde = new AvroSerde<>(client(Map.of()));
    serde.configure(Map.of(), false);
    GenericRecord record = TestSchemas.readingV1("meter-1", 1.5);
    serde.serializer().serialize("kfm.telemetry.valid", record);

    // When
    byte[] again = serde.serializer().serialize("kfm.telemetry.valid", record);
    GenericRecord read = serde.deserializer().deserialize("kfm.telemetry.valid", again);

    // Then
    assertThat(read).isEqualTo(record);
    assertThat(registry.requests()).hasSize(1);
  }

  @Test
  void shouldFailOverToTheNextUrlWhenTheFirstRefusesConnections() throws Exception {
    // Given
    HttpSchemaRegistryClient client =
        client(Map.of("schema.registry.url", deadUrl() + "," + registry.url()));

    // When
    int first = client.register(SUBJECT, TestSchemas.READING_V1);
    int second = client.getLatest(SUBJECT).id();

    // Then
    assertThat(first).isEqualTo(1);
    assertThat(second).isEqualTo(1);
    assertThat(registry.requests()).hasSize(2);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void shouldSurfaceAnUnreachableRegistryAsRetriableFromTheSerializer() throws IOException {
    // Given
    AvroSerializer<GenericRecord> serializer =
        new AvroSerializer<>(client(Map.of("schema.registry.url", deadUrl(), "max.retries", 1)));
    serializer.configure(Map.of(), false);

    // When / Then
    assertThatThrownBy(
            () ->
                serializer.serialize("kfm.telemetry.valid", TestSchemas.readingV1("meter-1", 1.5)))
        .isInstanceOf(SchemaRegistryUnavailableException.class)
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("unreachable")
        .hasCauseInstanceOf(SchemaRegistryException.class);
    assertThat(sleeps).hasSize(1);
  }

  private HttpSchemaRegistryClient client(Map<String, Object> overrides) {
    Map<String, Object> configs =
        new HashMap<>(
            Map.of("schema.registry.url", registry.url(), "max.retries", 2, "retries.wait.ms", 1));
    configs.putAll(overrides);
    return new HttpSchemaRegistryClient(
        AvroSerdeConfig.parse(configs, false).registry(), sleeps::add);
  }

  private static String deadUrl() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }
}
