package org.kfm.telemetry.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import org.kfm.telemetry.validation.Field;
import org.kfm.telemetry.validation.FieldRule;
import org.kfm.telemetry.validation.Findings;
import org.kfm.telemetry.validation.KeyTraits;
import org.kfm.telemetry.validation.Payload;
import org.kfm.telemetry.validation.RuleId;

/**
 * KFM-META-006/007: counts, sizes, durations and energy estimates (by name: {@code *_ms}, {@code
 * records_*}, {@code *_count}, {@code *_tokens}, {@code *_kwh_est}, ...) are never negative;
 * percentages ({@code *_pct}) lie in 0..100.
 */
public final class MeasureRule implements FieldRule {

  @Override
  public int traitsOfInterest() {
    return KeyTraits.MEASURE | KeyTraits.PERCENT;
  }

  @Override
  public void visit(Payload payload, Field field, JsonNode value, Findings findings) {
    if (!value.isNumber()) {
      return;
    }
    if (field.has(KeyTraits.MEASURE) && value.doubleValue() < 0) {
      findings.add(
          RuleId.META_006,
          field.pointer(),
          "\"" + field.key() + "\" is a count, size or duration and must not be negative");
    } else if (field.has(KeyTraits.PERCENT)
        && (value.doubleValue() < 0 || value.doubleValue() > 100)) {
      findings.add(
          RuleId.META_007,
          field.pointer(),
          "\"" + field.key() + "\" is a percentage and must lie in 0..100");
    }
  }
}
