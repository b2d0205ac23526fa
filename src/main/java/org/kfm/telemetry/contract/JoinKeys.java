package org.kfm.telemetry.contract;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The join key of a payload, which keys it on {@code kfm.telemetry.valid} (and, from {@code kfm
 * produce}, on the raw topic): {@code run.run_id}, else {@code correlation.correlation_id} — the
 * first that is a usable key (1 to {@value #MAX_LENGTH} characters, no whitespace, control or
 * invisible format characters) — else none.
 */
public final class JoinKeys {

  /** Longest usable join key, in code points. */
  public static final int MAX_LENGTH = 128;

  private JoinKeys() {}

  /** The payload's join key, or null when it has no usable one. */
  public static String of(JsonNode payload) {
    String run = text(payload.path("run").path("run_id"));
    if (usable(run)) {
      return run;
    }
    String correlation = text(payload.path("correlation").path("correlation_id"));
    return usable(correlation) ? correlation : null;
  }

  /** Whether {@code key} can be a join key. */
  public static boolean usable(String key) {
    return key != null
        && !key.isEmpty()
        && key.codePointCount(0, key.length()) <= MAX_LENGTH
        && !hasSpaceOrControl(key);
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.textValue() : null;
  }

  private static boolean hasSpaceOrControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128) {
        // In ASCII the four tests below agree on exactly these: controls, space and DEL.
        if (c <= ' ' || c == 127) {
          return true;
        }
      } else if (Character.isWhitespace(c)
          || Character.isISOControl(c)
          || Character.isSpaceChar(c)
          || Character.getType(c) == Character.FORMAT) {
        return true;
      }
    }
    return false;
  }
}
