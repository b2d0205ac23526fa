package org.kfm.telemetry.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kfm.telemetry.validation.Field;
import org.kfm.telemetry.validation.FieldRule;
import org.kfm.telemetry.validation.Findings;
import org.kfm.telemetry.validation.KeyTraits;
import org.kfm.telemetry.validation.Payload;
import org.kfm.telemetry.validation.RuleId;

/**
 * KFM-GEO-001: a restricted or sensitive event carries no coordinate finer than the configured
 * number of decimal places (default 2, about 1 km): {@code lat}/{@code lon}-style members,
 * coordinate arrays ({@code coordinates}, {@code bbox}, {@code bbox_wgs84}, ...) and WKT-style
 * geometry text.
 */
public final class GeoPrecisionRule implements FieldRule {

  private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,3}\\.(\\d+)");

  @Override
  public int traitsOfInterest() {
    return KeyTraits.COORDINATE | KeyTraits.COORDINATES | KeyTraits.GEOMETRY_TEXT;
  }

  @Override
  public boolean wantsArrays() {
    return true;
  }

  @Override
  public void visit(Payload payload, Field field, JsonNode value, Findings findings) {
    if (!payload.isRestricted()) {
      return;
    }
    int max = payload.options().geoMaxDecimals();
    if (value.isArray()) {
      if (field.has(KeyTraits.COORDINATES) && !field.isArrayElement() && tooPrecise(value, max)) {
        report(payload, field, findings, max);
      }
    } else if (value.isNumber()) {
      if (field.has(KeyTraits.COORDINATE) && decimals(value) > max) {
        report(payload, field, findings, max);
      }
    } else if (value.isTextual() && (field.has(KeyTraits.GEOMETRY_TEXT) || field.has(KeyTraits.COORDINATE)
        || field.has(KeyTraits.COORDINATES))) {
      Matcher m = DECIMAL.matcher(value.textValue());
      while (m.find()) {
        if (m.group(1).length() > max) {
          report(payload, field, findings, max);
          return;
        }
      }
    }
  }

  private static void report(Payload payload, Field field, Findings findings, int max) {
    findings.add(RuleId.GEO_001, field.pointer(), "coordinates finer than " + max
        + " decimal places on a " + payload.classification() + " event; generalize them before sending");
  }

  private static boolean tooPrecise(JsonNode array, int max) {
    for (JsonNode element : array) {
      if ((element.isArray() && tooPrecise(element, max)) || (element.isNumber() && decimals(element) > max)) {
        return true;
      }
    }
    return false;
  }

  private static int decimals(JsonNode number) {
    if (number.isIntegralNumber()) {
      return 0;
    }
    return Math.max(0, BigDecimal.valueOf(number.doubleValue()).stripTrailingZeros().scale());
  }
}
