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
 * such as {@code POINT(-97.12 38.65)} anywhere); and, by shape under any key, a pair of numbers
 * that can be a longitude and a latitude ({@code [-97.1234567, 38.9876543]}, as in {@code track},
 * {@code points}, {@code route} or {@code ui.point_wgs84}), lists of such pairs at any depth, and
 * such a pair in any text ("at 38.9876543,-97.1234567"). A pair counts as coordinates when one
 * number is within ±90 and the other within ±180, not both within ±1 (ratios, probabilities), and
 * not under a key that names a measure or a percentage ({@code latency_ms}, {@code *_pct}) or in
 * the {@code metrics} block (numbers that measure the run).
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
  public boolean wantsAllArrays() {
    return true;
  }

  @Override
  public void visit(Payload payload, Field field, JsonNode value, Findings findings) {
    if (!payload.isRestricted()) {
      return;
    }
    int max = payload.options().geoMaxDecimals();
    if (value.isArray()) {
      if (field.isArrayElement()) {
        return; // the outermost array was looked at whole
      }
      if (field.has(KeyTraits.COORDINATES)) {
        if (tooPrecise(value, max)) {
          report(payload, field, findings, max);
        }
      } else if (!field.has(KeyTraits.MEASURE | KeyTraits.PERCENT)
          && hasPrecisePairs(value, max)
          && !field.pointer().startsWith("/metrics/")) {
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
              && hasPrecisePair(text, max, false))
          || (!field.has(KeyTraits.MEASURE | KeyTraits.PERCENT)
              && hasPrecisePair(text, max, true))) {
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

  /**
   * Whether the text holds two decimal numbers side by side with more than {@code max} decimals;
   * {@code byShape}: only where they can be a longitude and a latitude.
   */
  private static boolean hasPrecisePair(String text, int max, boolean byShape) {
    if (text.indexOf('.') < 0) {
      return false;
    }
    Matcher m = PAIR.matcher(text);
    while (m.find()) {
      if ((m.group(2).length() > max || m.group(4).length() > max)
          && (!byShape
              || plausible(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(3))))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code array} is a pair of numbers that can be a position, finer than {@code max}
   * decimals, or holds one at any depth (a track, a ring of a polygon).
   */
  private static boolean hasPrecisePairs(JsonNode array, int max) {
    // both written with decimals: [50, 12.3456789] is a quantile and a value, not a position
    if (array.size() == 2
        && array.get(0).isFloatingPointNumber()
        && array.get(1).isFloatingPointNumber()) {
      JsonNode a = array.get(0);
      JsonNode b = array.get(1);
      return (decimals(a) > max || decimals(b) > max)
          && plausible(a.doubleValue(), b.doubleValue());
    }
    for (JsonNode element : array) {
      if (element.isArray() && hasPrecisePairs(element, max)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A longitude and a latitude in either order (one within ±90, the other within ±180), not both
   * within ±1 (ratios and probabilities are pairs of small numbers).
   */
  private static boolean plausible(double a, double b) {
    double x = Math.abs(a);
    double y = Math.abs(b);
    boolean inRange = (x <= 180 && y <= 90) || (x <= 90 && y <= 180);
    return inRange && (x > 1 || y > 1);
  }
}
