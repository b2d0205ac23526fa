package org.kfm.telemetry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private final Validator validator = new Validator(ValidatorOptions.defaults());

  @Test
  void shouldReplaceEverySecretWithAMarkerCarryingItsShortHash() {
    // Given a record with a cloud key inside a message and a password field
    String record =
        "{\"schema_version\":\"2.0.0\",\"kind\":\"pipeline.step\",\"ts\":\"2026-01-23T18:42:14.900Z\","
            + "\"level\":\"error\",\"message\":\"upload failed with key AKIAIOSFODNN7EXAMPLE\","
            + "\"run\":{\"run_id\":\"r1\",\"pipeline\":\"p\",\"step\":\"s\",\"db_password\":\"hunter2hunter2\"},"
            + "\"privacy\":{\"classification\":\"internal\"}}";
    byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
    Verdict verdict = validator.validate(bytes);

    // When it is redacted
    String redacted = new String(Redactor.redact(verdict, bytes), StandardCharsets.UTF_8);

    // Then no secret remains, markers stand in their place, and the rest is unchanged
    assertThat(verdict.secretFound()).isTrue();
    assertThat(redacted).doesNotContain("AKIAIOSFODNN7EXAMPLE").doesNotContain("hunter2");
    assertThat(redacted)
        .contains("upload failed with key " + Redactor.marker("AKIAIOSFODNN7EXAMPLE"));
    assertThat(redacted).contains("\"db_password\":\"" + Redactor.marker("hunter2hunter2") + "\"");
    assertThat(redacted).contains("\"run_id\":\"r1\"");
    assertThat(Redactor.marker("AKIAIOSFODNN7EXAMPLE")).matches("\\[REDACTED:sha256:[0-9a-f]{12}]");
    assertThat(validator.validate(redacted.getBytes(StandardCharsets.UTF_8)).secretFound())
        .as("a redacted record holds no secret")
        .isFalse();
  }

  @Test
  void shouldRedactUnparseableRecordsAsText() {
    byte[] bytes =
        "{\"message\": \"token ghp_abcdefghijklmnopqrstuvwxyz0123456789\", oops}"
            .getBytes(StandardCharsets.UTF_8);
    Verdict verdict = validator.validate(bytes);

    String redacted = new String(Redactor.redact(verdict, bytes), StandardCharsets.UTF_8);

    assertThat(verdict.valid()).isFalse();
    assertThat(verdict.secretFound()).isTrue();
    assertThat(redacted)
        .isEqualTo(
            "{\"message\": \"token "
                + Redactor.marker("ghp_abcdefghijklmnopqrstuvwxyz0123456789")
                + "\", oops}");
  }

  @Test
  void shouldNeverPutTheSecretIntoAMessage() {
    byte[] bytes = "{\"a\": AKIAIOSFODNN7EXAMPLE}".getBytes(StandardCharsets.UTF_8);

    Verdict verdict = validator.validate(bytes);

    assertThat(verdict.errors()).isNotEmpty();
    assertThat(verdict.errors())
        .allSatisfy(f -> assertThat(f.message()).doesNotContain("AKIAIOSFODNN7EXAMPLE"));
  }
}
