package org.kfm.telemetry.validation;

import java.util.List;
import org.kfm.telemetry.validation.TextScanner.Hit;
import org.kfm.telemetry.validation.TextScanner.Type;

/**
 * Finds the values of members whose names say they are secrets, {@code "password": "..."} or
 * unquoted, in text that is not valid JSON and so cannot be walked as a tree.
 */
final class SecretMembers {

  private SecretMembers() {}

  /**
   * Adds a {@link Type#SECRET_FIELD} hit to {@code hits} for each such value in {@code text} that
   * is no placeholder.
   */
  static void addTo(List<Hit> hits, String text) {
    int n = text.length();
    for (int quote = text.indexOf('"');
        quote >= 0 && quote < n;
        quote = text.indexOf('"', quote + 1)) {
      int close = text.indexOf('"', quote + 1);
      if (close < 0 || close - quote > 257) {
        continue;
      }
      int colon = skipSpace(text, close + 1);
      if (colon >= n
          || text.charAt(colon) != ':'
          || !KeyTraits.has(KeyTraits.of(text.substring(quote + 1, close)), KeyTraits.SECRET)) {
        continue;
      }
      int start = skipSpace(text, colon + 1);
      int end = start;
      if (start < n && text.charAt(start) == '"') {
        end = start + 1;
        while (end < n && text.charAt(end) != '"') {
          end += text.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(end + 1, n);
      } else {
        while (end < n && ",}] \t\r\n".indexOf(text.charAt(end)) < 0) {
          end++;
        }
      }
      if (end > start && !isPlaceholderValue(text, start, end)) {
        hits.add(new Hit(Type.SECRET_FIELD, start, end));
      }
      quote = end - 1;
    }
  }

  private static boolean isPlaceholderValue(String text, int start, int end) {
    boolean quoted = end - start >= 2 && text.charAt(start) == '"';
    String value = quoted ? text.substring(start + 1, end - 1) : text.substring(start, end);
    return Placeholders.isPlaceholder(value)
        || (!quoted && (value.equals("null") || value.equals("true") || value.equals("false")));
  }

  private static int skipSpace(String text, int from) {
    int i = from;
    while (i < text.length() && " \t\r\n".indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }
}
