package org.kfm.telemetry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The nine examples of the seed contract document are valid telemetry. */
class SeedExamplesTest {

  private final Validator validator =
      new Validator(
          ValidatorOptions.defaults()
              .withClock(Clock.fixed(ContractCatalogueTest.NOW, ZoneOffset.UTC)));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "focus-query",
        "pipeline-run-completed",
        "pipeline-run-started",
        "pipeline-step",
        "policy-decision",
        "stream-checkpoint",
        "ui-action"
      })
  void shouldAcceptSeedExampleWithoutErrorsOrWarnings(String name) {
    Verdict verdict = validator.validate(ContractCatalogue.seed(name));

    assertThat(verdict.errors()).isEmpty();
    assertThat(verdict.warnings()).isEmpty();
    assertThat(verdict.valid()).isTrue();
    assertThat(verdict.kind()).isEqualTo(name.replace('-', '.'));
  }

  @Test
  void shouldAcceptTemplateWithAnUnknownKindWarning() {
    Verdict verdict = validator.validate(ContractCatalogue.seed("template-copy-me"));

    assertThat(verdict.valid()).isTrue();
    assertThat(verdict.warnings()).extracting(Finding::rule).containsExactly("KFM-KIND-002");
  }

  @Test
  void shouldAcceptSeedAlertWithUnverifiedSignatureAndMissingJoinKeyWarnings() {
    Verdict verdict = validator.validate(ContractCatalogue.seed("wpe-alert"));

    assertThat(verdict.valid()).isTrue();
    assertThat(verdict.warnings())
        .extracting(Finding::rule)
        .containsExactlyInAnyOrder("KFM-JOIN-002", "KFM-SIG-004");
  }
}
