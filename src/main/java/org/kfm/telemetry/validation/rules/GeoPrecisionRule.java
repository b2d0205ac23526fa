package org.kfm.telemetry.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Locale;
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
 * number of decimal places (default 2, about 1 km): members named like a latitude or longitude
 * ({@code lat}, {@code user_lat}, {@code latitude_deg}, as numbers or numeric strings), coordinate
 * arrays ({@code coordinates}, {@code bbox}, {@code bbox_wgs84}, {@code bounds}, ...), and
 * coordinate pairs in geometry text (a {@code geometry}/{@code wkt}/{@code location} member, or WKT
 * such as {@code POINT(-97.12 38.65)} anywhere).
 */
public final class GeoPrecisionRule implements FieldRule {

  /**
   * Two decimal numbers in coordinate range, side by side: "38.97123,-95.23567" or "-97.1 38.6".
   */
  private static final Pattern PAIR =
      Pattern.compile(
          "(?<![\\w.])(-?\\d{1,3}\\.(\\d+))(?:\\s*,\\s*|\\s+)(-?\\d{1,3}\\.(\\d+))(?![\\w.])");

  private static final String[] WKT = {
    "point",
    "linestring",
    "polygon",
    "multipoint",
    "multilinestring",
    "multipolygon",
    "geometrycollection"
  };

  @Override
  public int traitsOfInterest() {
    return KeyTraits.COORDINATE | KeyTraits.COORDINATES | KeyTraits.GEOMETRY_TEXT;
  }

  @Override
  public boolean wantsAllText() {
    return true;
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
    } else if (value.isTextual()) {
      String text = value.textValue();
      if ((field.has(KeyTraits.COORDINATE) && numericDecimals(text) > max)
          || ((field.has(KeyTraits.GEOMETRY_TEXT) || looksLikeWkt(text))
              && hasPrecisePair(text, max))) {
        report(payload, field, findings, max);
      }
    }
  }

  private static void report(Payload payload, Field field, Findings findings, int max) {
    findings.add(
        RuleId.GEO_001,
        field.pointer(),
        "coordinates finer than "
            + max
            + " decimal places on a "
            + payload.classification()
            + " event; generalize them before sending");
  }

  private static boolean tooPrecise(JsonNode array, int max) {
    for (JsonNode element : array) {
      if ((element.isArray() && tooPrecise(element, max))
          || (element.isNumber() && decimals(element) > max)) {
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

  /** Decimal places of a string that is one number ("38.97123"), else 0. */
  private static int numericDecimals(String text) {
    try {
      return Math.max(0, new BigDecimal(text.strip()).stripTrailingZeros().scale());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean looksLikeWkt(String text) {
    if (text.indexOf('(') < 0) {
      return false;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (String keyword : WKT) {
      if (lower.contains(keyword)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasPrecisePair(String text, int max) {
    Matcher m = PAIR.matcher(text);
    while (m.find()) {
      if (m.group(2).length() > max || m.group(4).length() > max) {
        return true;
      }
    }
    return false;
  }
}
