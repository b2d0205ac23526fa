package org.kfm.telemetry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

  @Test
  void shouldNameTheMissingRegistryUrl() {
    // Given
    AvroSerializer<Object> serializer = new AvroSerializer<>();

    // When / Then
    assertThatThrownBy(() -> serializer.configure(Map.of("auto.register.schemas", "true"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void shouldNotNeedAUrlWhenAClientIsSupplied() {
    // Given
    AvroDeserializer<Object> deserializer = new AvroDeserializer<>(new MockSchemaRegistryClient());

    // When
    deserializer.configure(Map.of(), false);

    // Then
    assertThat(deserializer.deserialize("t", null)).isNull();
  }

  @Test
  void shouldReadConfluentKeysWithConfluentDefaults() {
    // Given
    Map<String, Object> configs =
        Map.of(
            "schema.registry.url",
            " http://a:8081/ , https://u:p@b:8081/sr ",
            "some.streams.key",
            "ignored");

    // When
    AvroSerdeConfig config = AvroSerdeConfig.parse(configs, false);

    // Then
    assertThat(config.autoRegisterSchemas()).isTrue();
    assertThat(config.useLatestVersion()).isFalse();
    assertThat(config.specificAvroReader()).isFalse();
    assertThat(config.registry().retry().maxRetries()).isEqualTo(3);
    assertThat(config.registry().endpoints()).hasToString("[http://a:8081, https://b:8081/sr]");
    assertThat(config.registry().endpoints().get(0).authorization()).isNull();
    assertThat(config.registry().endpoints().get(1).authorization().value())
        .isEqualTo("Basic dTpw");
    assertThat(config.toString()).doesNotContain("dTpw").doesNotContain("u:p");
  }

  @Test
  void shouldRequireUserInfoForTheUserInfoSource() {
    // Given
    Map<String, Object> configs =
        Map.of(
            "schema.registry.url", "http://a:8081", "basic.auth.credentials.source", "USER_INFO");

    // When / Then
    assertThatThrownBy(() -> AvroSerdeConfig.parse(configs, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("basic.auth.user.info");
  }

  @Test
  void shouldAcceptTheDeprecatedUserInfoKey() {
    // Given
    Map<String, Object> configs =
        Map.of(
            "schema.registry.url",
            "http://a:8081",
            "basic.auth.credentials.source",
            "USER_INFO",
            "schema.registry.basic.auth.user.info",
            "u:p");

    // When
    AvroSerdeConfig config = AvroSerdeConfig.parse(configs, false);

    // Then
    assertThat(config.registry().endpoints().get(0).authorization().value())
        .isEqualTo("Basic dTpw");
  }

  @Test
  void shouldRefuseSubjectStrategiesOtherThanTopicName() {
    // Given
    Map<String, Object> configs =
        Map.of(
            "schema.registry.url",
            "mock://x",
            "value.subject.name.strategy",
            "io.confluent.kafka.serializers.subject.RecordNameStrategy");

    // When / Then
    assertThatThrownBy(() -> AvroSerdeConfig.parse(configs, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("value.subject.name.strategy");
  }

  @Test
  void shouldRefuseSettingsThatWouldSilentlyChangeTheBytes() {
    // Given
    Map<String, Object> configs = Map.of("schema.registry.url", "mock://x", "use.schema.id", "7");

    // When / Then
    assertThatThrownBy(() -> AvroSerdeConfig.parse(configs, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("use.schema.id");
  }

  @Test
  void shouldRefuseBadUrlsWithoutEchoingThem() {
    // Given
    Map<String, Object> ftp = Map.of("schema.registry.url", "ftp://user:secret@a:21");
    Map<String, Object> mixed = Map.of("schema.registry.url", "mock://x,http://a:8081");

    // When / Then
    assertThatThrownBy(() -> AvroSerdeConfig.parse(ftp, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url entry 1 of 1")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> AvroSerdeConfig.parse(mixed, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot mix mock://");
  }

  @Test
  void shouldNameAnUnreadableTruststore() {
    // Given
    Map<String, Object> configs =
        Map.of(
            "schema.registry.url",
            "https://a:8081",
            "schema.registry.ssl.truststore.location",
            "/nonexistent/truststore.p12",
            "schema.registry.ssl.truststore.password",
            "changeit");

    // When / Then
    assertThatThrownBy(
            () -> new HttpSchemaRegistryClient(AvroSerdeConfig.parse(configs, false).registry()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.truststore.location")
        .hasMessageNotContaining("changeit");
  }
}
