package org.kfm.telemetry.validation;

/**
 * Lower-case hexadecimal text ({@code 0-9a-f}), the form of every digest and trace id in the
 * contract. One table lookup per character: the test {@code c <= '9' || c >= 'a'} branches on
 * random data (digits and letters are shuffled in a digest) and is mispredicted about every third
 * character; the table's one branch goes the same way until the first character that is not a
 * digit.
 */
public final class LowerHex {

  /** Non-zero for every ASCII character that is not a lower-case hex digit. */
  private static final byte[] NOT_HEX = new byte[128];

  static {
    for (int c = 0; c < 128; c++) {
      NOT_HEX[c] = (byte) ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ? 0 : 1);
    }
  }

  private static final String SHA256 = "sha256:";

  private LowerHex() {}

  /**
   * True for {@code sha256:} followed by exactly 64 lower-case hex digits (the contract's digest).
   */
  public static boolean isSha256Digest(String text) {
    return text.length() == SHA256.length() + 64
        && text.startsWith(SHA256)
        && isRange(text, SHA256.length(), text.length());
  }

  /**
   * True when the characters {@code [from, to)} of {@code text} are all lower-case hex digits (so
   * true for an empty range).
   */
  public static boolean isRange(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      // c >>> 7 is non-zero beyond ASCII; c & 0x7F keeps the lookup in the table.
      if (((c >>> 7) | NOT_HEX[c & 0x7F]) != 0) {
        return false;
      }
    }
    return true;
  }
}
