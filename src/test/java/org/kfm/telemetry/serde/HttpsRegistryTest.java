package org.kfm.telemetry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.testing.FakeSchemaRegistry;

class HttpsRegistryTest {

  private FakeSchemaRegistry registry;

  @BeforeEach
  void startRegistry() throws Exception {
    SSLContext server =
        new RegistryTls(
                null,
                null,
                "PKCS12",
                resource("registry-server.p12"),
                new Password("changeit"),
                "PKCS12",
                null,
                "TLSv1.3")
            .sslContext();
    registry = FakeSchemaRegistry.startTls(server);
  }

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  @Test
  void shouldTalkToAnHttpsRegistryTrustedThroughTheConfiguredTruststore() throws Exception {
    // Given
    HttpSchemaRegistryClient client =
        new HttpSchemaRegistryClient(
            AvroSerdeConfig.parse(
                    Map.of(
                        "schema.registry.url",
                        registry.url(),
                        "schema.registry.ssl.truststore.location",
                        resource("registry-truststore.p12"),
                        "schema.registry.ssl.truststore.password",
                        "changeit",
                        "schema.registry.ssl.truststore.type",
                        "PKCS12"),
                    false)
                .registry());

    // When
    int id = client.register("readings-value", TestSchemas.READING_V1);

    // Then
    assertThat(id).isEqualTo(1);
  }

  @Test
  void shouldRefuseAnHttpsRegistryItDoesNotTrust() {
    // Given
    HttpSchemaRegistryClient client =
        new HttpSchemaRegistryClient(
            AvroSerdeConfig.parse(
                    Map.of("schema.registry.url", registry.url(), "max.retries", 0), false)
                .registry());

    // When / Then
    assertThatThrownBy(() -> client.register("readings-value", TestSchemas.READING_V1))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("unreachable");
    assertThat(registry.requests()).isEmpty();
  }

  private static String resource(String name) throws URISyntaxException {
    return Path.of(HttpsRegistryTest.class.getResource("/serde/" + name).toURI()).toString();
  }
}
