package org.kfm.telemetry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Timeout;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.avro.ValidationWarning;
import org.kfm.telemetry.contract.Canonical;
import org.kfm.telemetry.contract.TelemetryEvents;
import org.kfm.telemetry.validation.rules.VersionRule;

/**
 * Bad bytes against the path every raw record takes: parse → validate → (rejected) redact, or
 * (accepted) map to the Avro event and encode it. Whatever the bytes: no exception escapes, a
 * redacted record holds no secret the validator can still find, and an accepted payload survives
 * the Avro mapping exactly (the same canonical JSON back).
 *
 * <p>In the default build Jazzer runs the regression inputs under {@code
 * ContractFuzzTestInputs/validateRedactAndMap/} (the seed examples and the shapes that once went
 * wrong); {@code JAZZER_FUZZ=1 ./mvnw -B test -Dtest=ContractFuzzTest} fuzzes, guided by coverage,
 * for {@code maxDuration} (docs/testing.md).
 */
class ContractFuzzTest {

  private static final Validator VALIDATOR = new Validator(ValidatorOptions.defaults());

  // A hang is a finding too: Jazzer passes this on to libFuzzer as its time limit per input (a
  // slow input failed nothing before: one that took 14 s was only reported). It holds for each
  // regression input as well.
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  @FuzzTest(maxDuration = "10m")
  void validateRedactAndMap(byte[] record) {
    Verdict verdict = VALIDATOR.validate(record);

    if (!verdict.valid()) {
      assertThat(verdict.errors()).isNotEmpty();
      if (verdict.secretFound()) {
        byte[] redacted = Redactor.redact(verdict, record);
        Verdict again = VALIDATOR.validate(redacted);
        assertThat(again.secretFound())
            .as("a secret left after redaction: %s", again.errors())
            .isFalse();
      }
      return;
    }
    List<ValidationWarning> warnings =
        verdict.warnings().stream()
            .map(w -> new ValidationWarning(w.rule(), w.path(), w.message()))
            .toList();
    TelemetryEvent event =
        TelemetryEvents.toEvent(
            verdict.payload(), verdict.envelope(), VersionRule.CONTRACT_VERSION, warnings);
    assertThat(Canonical.sha256(TelemetryEvents.toPayload(event)))
        .as("the Avro event gives back the payload")
        .isEqualTo(event.getValidation().getPayloadDigest());
    encode(event);
  }

  private static void encode(TelemetryEvent event) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<>(TelemetryEvent.class).write(event, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
