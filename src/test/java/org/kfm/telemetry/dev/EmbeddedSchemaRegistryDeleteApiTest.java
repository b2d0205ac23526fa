package org.kfm.telemetry.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.dev.ExampleSchemas.OTHER;
import static org.kfm.telemetry.dev.ExampleSchemas.V1;
import static org.kfm.telemetry.dev.ExampleSchemas.V2;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kfm.telemetry.testing.EmbeddedRegistryApi;

/**
 * The in-memory registry's deletes, over real HTTP, as a Confluent client sees them: soft then
 * permanent deletes of a subject and of one version, with their error codes.
 */
class EmbeddedSchemaRegistryDeleteApiTest {

  /** A fresh registry for each test. */
  @RegisterExtension final EmbeddedRegistryApi registry = new EmbeddedRegistryApi();

  @Test
  void shouldSoftDeleteThenPermanentlyDeleteASubject() throws Exception {
    // Given
    registry.register("a-value", V1);
    registry.register("a-value", V2);
    registry.register("b-value", V1);

    // When soft-deleted
    assertThat(registry.call("DELETE", "/subjects/a-value?permanent=false", null).body().toString())
        .isEqualTo("[1,2]");

    // Then it is gone from the listings, its ids stay readable, a second soft delete is 40404
    assertThat(registry.get("/subjects").body().toString()).isEqualTo("[\"b-value\"]");
    assertThat(registry.get("/subjects?deleted=true").body().toString())
        .isEqualTo("[\"a-value\",\"b-value\"]");
    assertThat(registry.get("/subjects/a-value/versions").errorCode()).isEqualTo(40401);
    assertThat(registry.get("/subjects/a-value/versions?deleted=true").body().toString())
        .isEqualTo("[1,2]");
    assertThat(registry.get("/subjects/a-value/versions/1?deleted=true").body().path("id").asInt())
        .isEqualTo(1);
    assertThat(registry.get("/schemas/ids/2").status()).isEqualTo(200);
    assertThat(registry.get("/schemas/ids/1/versions").body().toString())
        .isEqualTo("[{\"subject\":\"b-value\",\"version\":1}]");
    assertThat(registry.call("DELETE", "/subjects/a-value", null).errorCode()).isEqualTo(40404);

    // When permanently deleted
    assertThat(registry.call("DELETE", "/subjects/a-value?permanent=true", null).body().toString())
        .isEqualTo("[1,2]");

    // Then nothing is left of it; schema 2 (only a-value had it) is gone, schema 1 (b-value) stays
    assertThat(registry.get("/subjects?deleted=true").body().toString()).isEqualTo("[\"b-value\"]");
    assertThat(registry.call("DELETE", "/subjects/a-value", null).errorCode()).isEqualTo(40401);
    assertThat(registry.get("/schemas/ids/2").errorCode()).isEqualTo(40403);
    assertThat(registry.get("/schemas/ids/1").status()).isEqualTo(200);
    assertThat(registry.call("DELETE", "/subjects/b-value?permanent=true", null).errorCode())
        .isEqualTo(40405);

    // and the subject starts again at version 1; a new schema gets a new id
    assertThat(registry.register("a-value", OTHER).body().path("id").asInt()).isEqualTo(3);
    assertThat(registry.get("/subjects/a-value/versions").body().toString()).isEqualTo("[1]");
  }

  @Test
  void shouldSoftDeleteOneVersionKeepingItsNumberTaken() throws Exception {
    registry.register("a-value", V1);
    registry.register("a-value", V2);

    assertThat(registry.call("DELETE", "/subjects/a-value/versions/2", null).body().asInt())
        .isEqualTo(2);
    assertThat(registry.get("/subjects/a-value/versions").body().toString()).isEqualTo("[1]");
    assertThat(registry.get("/subjects/a-value/versions/2").errorCode()).isEqualTo(40402);
    assertThat(registry.get("/subjects/a-value/versions/latest").body().path("version").asInt())
        .isEqualTo(1);
    assertThat(registry.call("DELETE", "/subjects/a-value/versions/2", null).errorCode())
        .isEqualTo(40406);
    assertThat(
            registry
                .call("DELETE", "/subjects/a-value/versions/1?permanent=true", null)
                .errorCode())
        .isEqualTo(40407);
    assertThat(registry.call("DELETE", "/subjects/a-value/versions/9", null).errorCode())
        .isEqualTo(40402);
    assertThat(registry.call("DELETE", "/subjects/none/versions/1", null).errorCode())
        .isEqualTo(40401);
    assertThat(registry.call("DELETE", "/subjects/a-value/versions/0", null).errorCode())
        .isEqualTo(42202);

    // re-registering the deleted schema makes a new version with the same id
    assertThat(registry.register("a-value", V2).body().path("id").asInt()).isEqualTo(2);
    assertThat(registry.get("/subjects/a-value/versions").body().toString()).isEqualTo("[1,3]");
    assertThat(
            registry
                .call("DELETE", "/subjects/a-value/versions/2?permanent=true", null)
                .body()
                .asInt())
        .isEqualTo(2);
    assertThat(registry.get("/subjects/a-value/versions?deleted=true").body().toString())
        .isEqualTo("[1,3]");
  }
}
