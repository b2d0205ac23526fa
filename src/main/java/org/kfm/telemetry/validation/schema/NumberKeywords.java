package org.kfm.telemetry.validation.schema;

import static org.kfm.telemetry.validation.schema.SchemaNode.Keyword.fail;

import com.fasterxml.jackson.databind.node.NumericNode;
import java.math.BigDecimal;

/**
 * The bounds of numbers: {@code minimum}, {@code maximum}, {@code exclusiveMinimum}, {@code
 * exclusiveMaximum}.
 */
final class NumberKeywords {

  private NumberKeywords() {}

  static SchemaNode.Keyword compile(KeywordSite site) {
    String keyword = site.keyword();
    BigDecimal bound = site.arg().decimalValue();
    String here = site.here();
    double boundDouble = bound.doubleValue();
    return (v, p, e) -> {
      if (!(v instanceof NumericNode)) {
        return true;
      }
      // Arithmetic comparison: -0.0 is not below 0 (Double.compare would say it is).
      double d = v.doubleValue();
      int cmp =
          v.isDouble() || v.isInt() || v.isLong()
              ? (d < boundDouble ? -1 : d > boundDouble ? 1 : 0)
              : v.decimalValue().compareTo(bound);
      boolean ok =
          switch (keyword) {
            case "minimum" -> cmp >= 0;
            case "maximum" -> cmp <= 0;
            case "exclusiveMinimum" -> cmp > 0;
            default -> cmp < 0;
          };
      String relation =
          switch (keyword) {
            case "minimum" -> "at least ";
            case "maximum" -> "at most ";
            case "exclusiveMinimum" -> "greater than ";
            default -> "less than ";
          };
      return ok
          || e != null
              && fail(e, p.pointer(), keyword, here, "must be " + relation + bound.toPlainString());
    };
  }
}
