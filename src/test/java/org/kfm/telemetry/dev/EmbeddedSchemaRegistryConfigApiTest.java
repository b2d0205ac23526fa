package org.kfm.telemetry.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.dev.ExampleSchemas.V1;
import static org.kfm.telemetry.dev.ExampleSchemas.V2;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kfm.telemetry.testing.EmbeddedRegistryApi;
import org.kfm.telemetry.testing.EmbeddedRegistryApi.Answer;

/**
 * The in-memory registry's compatibility settings and checks, over real HTTP, as a Confluent client
 * sees them: global and subject configs, compatibility checks against a version, and the refusal of
 * an incompatible registration.
 */
class EmbeddedSchemaRegistryConfigApiTest {

  /** A fresh registry for each test. */
  @RegisterExtension final EmbeddedRegistryApi registry = new EmbeddedRegistryApi();

  @Test
  void shouldKeepGlobalAndSubjectCompatibilityConfigs() throws Exception {
    assertThat(registry.get("/config").body().toString())
        .isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    assertThat(registry.call("PUT", "/config", "{\"compatibility\":\"FULL\"}").body().toString())
        .isEqualTo("{\"compatibility\":\"FULL\"}");
    assertThat(registry.get("/config").body().path("compatibilityLevel").asText())
        .isEqualTo("FULL");

    Answer notConfigured = registry.get("/config/a-value");
    assertThat(notConfigured.errorCode()).isEqualTo(40408);
    assertThat(notConfigured.status()).isEqualTo(404);
    assertThat(
            registry
                .get("/config/a-value?defaultToGlobal=true")
                .body()
                .path("compatibilityLevel")
                .asText())
        .isEqualTo("FULL");
    assertThat(
            registry
                .call("PUT", "/config/a-value", "{\"compatibility\":\"none\"}")
                .body()
                .toString())
        .isEqualTo("{\"compatibility\":\"NONE\"}");
    assertThat(registry.get("/config/a-value").body().path("compatibilityLevel").asText())
        .isEqualTo("NONE");

    Answer invalid = registry.call("PUT", "/config/a-value", "{\"compatibility\":\"SIDEWAYS\"}");
    assertThat(invalid.errorCode()).isEqualTo(42203);
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(registry.call("PUT", "/config", "{}").errorCode()).isEqualTo(42203);

    assertThat(
            registry
                .call("DELETE", "/config/a-value", null)
                .body()
                .path("compatibilityLevel")
                .asText())
        .isEqualTo("NONE");
    assertThat(registry.get("/config/a-value").errorCode()).isEqualTo(40408);
    assertThat(registry.call("DELETE", "/config/a-value", null).errorCode()).isEqualTo(40408);
    assertThat(registry.call("DELETE", "/config", null).body().path("compatibilityLevel").asText())
        .isEqualTo("FULL");
    assertThat(registry.get("/config").body().path("compatibilityLevel").asText())
        .isEqualTo("BACKWARD");
  }

  @Test
  void shouldCheckCompatibilityAgainstAVersionWithVerboseMessages() throws Exception {
    registry.register("a-value", V1);
    String breaking =
        "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"c\",\"type\":\"string\"}]}";

    assertThat(
            registry.post("/compatibility/subjects/a-value/versions/latest", V2).body().toString())
        .isEqualTo("{\"is_compatible\":true}");
    assertThat(
            registry
                .post("/compatibility/subjects/a-value/versions/1", breaking)
                .body()
                .path("is_compatible")
                .asBoolean())
        .isFalse();
    JsonNode verbose =
        registry
            .post("/compatibility/subjects/a-value/versions/latest?verbose=true", breaking)
            .body();
    assertThat(verbose.path("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.path("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(
            registry
                .post("/compatibility/subjects/a-value/versions", V2)
                .body()
                .path("is_compatible")
                .asBoolean())
        .isTrue();
    assertThat(
            registry
                .post("/compatibility/subjects/new-value/versions/latest", breaking)
                .body()
                .path("is_compatible")
                .asBoolean())
        .as("no version yet: anything goes")
        .isTrue();
    assertThat(registry.post("/compatibility/subjects/a-value/versions/5", V2).errorCode())
        .isEqualTo(40402);
    assertThat(registry.post("/compatibility/subjects/a-value/versions/zero", V2).errorCode())
        .isEqualTo(42202);
    assertThat(registry.post("/compatibility/subjects/a-value/versions/latest", "{bad").errorCode())
        .isEqualTo(42201);
  }

  @Test
  void shouldRefuseAnIncompatibleRegistrationWith409AndAMessage() throws Exception {
    registry.register("a-value", V1);
    String breaking =
        "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"c\",\"type\":\"string\"}]}";

    Answer refused = registry.register("a-value", breaking);

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo(409);
    assertThat(refused.body().path("message").asText())
        .contains("incompatible")
        .contains("a-value")
        .contains("BACKWARD");
    assertThat(registry.get("/subjects/a-value/versions").body().toString()).isEqualTo("[1]");
  }
}
