package org.kfm.telemetry.validation;

import java.util.regex.Pattern;

/**
 * Recognises values that stand in for a secret rather than hold one: masked, redacted, a digest, or
 * a reference to where the secret is kept.
 */
final class Placeholders {

  /**
   * Where a secret is kept rather than the secret: {@code ${VAR}}, {@code vault:path/...}, a
   * secrets manager ARN.
   */
  private static final Pattern REFERENCE =
      Pattern.compile(
          "\\$\\{[A-Za-z0-9_.:-]{1,128}}|(?:vault|secretref):[^\\s]*/[^\\s]*|arn:aws:secretsmanager:[^\\s]+"
              + "|env:[A-Z_][A-Z0-9_]{0,127}|%[A-Z_][A-Z0-9_]{0,127}%");

  /**
   * A redaction marker: {@code REDACTED}, {@code [REDACTED]}, {@code <redacted>}, {@code
   * [REDACTED:sha256:...]}.
   */
  private static final Pattern REDACTED =
      Pattern.compile("(?i)[\\[<(]?redacted(?::[a-z0-9:]{1,80})?[\\]>)]?");

  private Placeholders() {}

  /** See {@link TextScanner#isPlaceholder}. */
  static boolean isPlaceholder(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return true;
    }
    boolean masked = true;
    for (int i = 0; i < t.length() && masked; i++) {
      char c = t.charAt(i);
      masked =
          c == '*' || c == 'x' || c == 'X' || c == '\u2022' || c == '#' || c == '-' || c == '.';
    }
    if (masked) {
      return true;
    }
    if (t.length() > 200) {
      return false;
    }
    return REDACTED.matcher(t).matches()
        || REFERENCE.matcher(t).matches()
        || LowerHex.isSha256Digest(t);
  }

  /** Lower-case hex, optionally after {@code sha256:}. */
  static boolean isHexDigest(String text) {
    int from = text.startsWith("sha256:") ? 7 : 0;
    return text.length() > from && LowerHex.isRange(text, from, text.length());
  }
}
