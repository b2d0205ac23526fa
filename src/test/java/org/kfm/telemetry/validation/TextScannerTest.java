package org.kfm.telemetry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TextScannerTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "key AKIAIOSFODNN7EXAMPLE leaked | AWS_ACCESS_KEY | AKIAIOSFODNN7EXAMPLE",
        "AIzaSyD-1234567890abcdefghijklmnopqrstu | GOOGLE_API_KEY | AIzaSyD-1234567890abcdefghijklmnopqrstu",
        "DefaultEndpointsProtocol=https;AccountKey=dGhpcyBpcyBub3QgYSByZWFsIGtleQ==;x | AZURE_ACCOUNT_KEY | AccountKey=dGhpcyBpcyBub3QgYSByZWFsIGtleQ==",
        "auth eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U | JWT | eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0 | AUTHORIZATION | Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789 | VENDOR_TOKEN | ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "xoxb-1234567890-abcdefghij | VENDOR_TOKEN | xoxb-1234567890-abcdefghij",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc | VENDOR_TOKEN | sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY----- tail | PRIVATE_KEY | -----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY-----",
        "https://admin:hunter2@db.example.com/x | URL_CREDENTIALS | ://admin:hunter2@",
        "https://api.example.com/v1?state=KS&api_key=abc123 | URL_CREDENTIALS | &api_key=abc123",
        "contact jane.doe+kfm@example.org now | EMAIL | jane.doe+kfm@example.org",
        "call +1 785 555 0123 today | PHONE | +1 785 555 0123",
        "call (785) 555-0123 today | PHONE | (785) 555-0123",
        "call 785-555-0123 | PHONE | 785-555-0123"
      })
  void shouldFindSecretsAndPii(String text, TextScanner.Type type, String match) {
    List<TextScanner.Hit> hits = TextScanner.scan(text);

    assertThat(hits).hasSize(1);
    TextScanner.Hit hit = hits.get(0);
    assertThat(hit.type()).isEqualTo(type);
    assertThat(text.substring(hit.start(), hit.end())).isEqualTo(match);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Ingest run completed successfully",
        "kfm-policy-pack@v1",
        "python==3.11.7",
        "2026-01-23T18:42:11.123Z",
        "sha256:5a2d0d1b4f59c41b8b8a55f2c9a7f21ed6c93f9f6b1f4a2d6b8e7c1a9d0e1123",
        "01J0M7Q8J7Y7P4B9D1M2ZK0E7A",
        "git@github.com:kfm/pipelines.git",
        "Basic authentication enabled for the catalog",
        "sk-learn-pipeline-transformer-step-definition",
        "token refresh scheduled",
        "role:maintainer",
        "https://example.usgs.gov/api/river_gauges?state=KS",
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "records 1234567890 processed",
        "version 2026.01.23 build 1234",
        "user@localhost"
      })
  void shouldNotFlagOrdinaryTelemetryText(String text) {
    assertThat(TextScanner.scan(text)).isEmpty();
  }

  @Test
  void shouldTakeValuesNestedInValuesAsOneSecretWithoutRecursing() {
    // Given a run of assignments, each the value of the one before (64 Ki chars: the longest JSON
    // string the contract accepts; this overflowed the stack when each value was scanned for the
    // next)
    String text = "password=".repeat(65_536 / 9);

    // When it is scanned
    List<TextScanner.Hit> hits = TextScanner.scan(text);

    // Then it is one secret, from the first '=' to the end
    assertThat(hits)
        .containsExactly(new TextScanner.Hit(TextScanner.Type.SECRET_FIELD, 8, text.length()));
  }

  @Test
  void shouldTakeAValueLongerThanWhatThePatternReadsToItsEnd() {
    // Given an assigned value far longer than a credential pattern reads
    String value = "Ab1".repeat(SecretShapes.MAX_CREDENTIAL_CHARS);
    String text = "DB_PASSWORD=" + value + " and more";

    // When it is scanned
    List<TextScanner.Hit> hits = TextScanner.scan(text);

    // Then the whole value is the secret, and nothing after it
    assertThat(hits)
        .containsExactly(
            new TextScanner.Hit(TextScanner.Type.SECRET_FIELD, 11, text.indexOf(" and more")));
  }

  @Test
  void shouldStillFindATokenInsideAnAssignedValueUnderItsOwnRule() {
    // Given a known token assigned to a secret-like name, and one that starts mid-run
    String token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    String jwt =
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

    // When they are scanned
    List<TextScanner.Hit> assigned = TextScanner.scan("GITHUB_TOKEN=" + token);
    List<TextScanner.Hit> midRun = TextScanner.scan("auth-header-" + jwt);
    List<TextScanner.Hit> afterFailedTries = TextScanner.scan("eyJaa-".repeat(5000) + jwt);

    // Then each is found as what it is
    assertThat(assigned)
        .containsExactly(
            new TextScanner.Hit(TextScanner.Type.VENDOR_TOKEN, 13, 13 + token.length()));
    assertThat(midRun)
        .containsExactly(new TextScanner.Hit(TextScanner.Type.JWT, 12, 12 + jwt.length()));
    // (the first eyJ of the run reads through the others to the token's dots)
    assertThat(afterFailedTries)
        .containsExactly(new TextScanner.Hit(TextScanner.Type.JWT, 0, 6 * 5000 + jwt.length()));
  }
}
