package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.deploy.ComposeFile.COMPOSE;
import static org.kfm.telemetry.deploy.ComposeFile.SERVICE;
import static org.kfm.telemetry.deploy.ComposeFile.TOPICS_JOB;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, without a Docker engine, against the Compose Specification's JSON Schema
 * (vendored in src/test/resources/compose-spec/): it conforms, and the schema has teeth.
 */
class ComposeFileSchemaTest {

  private static final Schema COMPOSE_SPEC =
      SchemaRegistry.withDefaultDialect(
              SpecificationVersion.DRAFT_7,
              b ->
                  b.schemaRegistryConfig(
                      SchemaRegistryConfig.builder().locale(Locale.ENGLISH).build()))
          .getSchema(SchemaLocation.of("classpath:compose-spec/compose-spec.json"));

  private final ComposeFile compose = ComposeFile.read(COMPOSE);

  @Test
  void shouldConformToTheComposeSpecification() {
    // Given docker-compose.yml as Compose reads it (YAML, no interpolation needed)
    JsonNode file = compose.tree();

    // When it is validated against the Compose Specification's schema
    List<Error> errors = COMPOSE_SPEC.validate(file);

    // Then there is nothing to report
    assertThat(errors).isEmpty();
  }

  @Test
  void shouldFailSchemaValidationOnAMisspeltKey() {
    // Given the file with depends_on of the service misspelt as depend_on
    ObjectNode broken = compose.tree().deepCopy();
    ObjectNode service = (ObjectNode) broken.path("services").path(SERVICE);
    service.set("depend_on", service.remove("depends_on"));

    // When it is validated
    List<Error> errors = COMPOSE_SPEC.validate(broken);

    // Then the schema rejects the unknown key, naming it
    assertThat(errors).isNotEmpty();
    assertThat(errors.toString()).contains("depend_on");
  }

  @Test
  void shouldFailSchemaValidationOnAnUnknownDependencyCondition() {
    // Given the file with a condition Compose does not know
    ObjectNode broken = compose.tree().deepCopy();
    ((ObjectNode) broken.path("services").path(SERVICE).path("depends_on").path(TOPICS_JOB))
        .put("condition", "service_completed");

    // When it is validated
    List<Error> errors = COMPOSE_SPEC.validate(broken);

    // Then the schema rejects it
    assertThat(errors).isNotEmpty();
    assertThat(errors.toString()).contains("condition");
  }
}
