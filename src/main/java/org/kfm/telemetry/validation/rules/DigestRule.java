package org.kfm.telemetry.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import org.kfm.telemetry.validation.Field;
import org.kfm.telemetry.validation.FieldRule;
import org.kfm.telemetry.validation.Findings;
import org.kfm.telemetry.validation.KeyTraits;
import org.kfm.telemetry.validation.LowerHex;
import org.kfm.telemetry.validation.Payload;
import org.kfm.telemetry.validation.RuleId;

/**
 * KFM-META-008: digests ({@code digest}, {@code *_digest}, {@code *_hash}, {@code idempotency_key})
 * are {@code sha256:} followed by 64 lower-case hex digits.
 */
public final class DigestRule implements FieldRule {

  @Override
  public int traitsOfInterest() {
    return KeyTraits.DIGEST;
  }

  @Override
  public void visit(Payload payload, Field field, JsonNode value, Findings findings) {
    if (!field.has(KeyTraits.DIGEST) || field.isArrayElement()) {
      return;
    }
    if (!value.isTextual() || !LowerHex.isSha256Digest(value.textValue())) {
      findings.add(
          RuleId.META_008,
          field.pointer(),
          "\"" + field.key() + "\" must be a digest of the form sha256:<64 lower-case hex digits>");
    }
  }
}
