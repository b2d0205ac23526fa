package org.kfm.telemetry.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as lowercase hex: of all the hash, or of its first bytes (ids and markers). */
public final class Sha256 {

  private Sha256() {}

  /** The SHA-256 of {@code bytes}. */
  public static byte[] of(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The 64 hex digits of the SHA-256 of {@code bytes}. */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(of(bytes));
  }

  /**
   * The hex of the first {@code count} bytes of the SHA-256 of {@code bytes} ({@code 2 * count}
   * digits).
   */
  public static String hexPrefix(byte[] bytes, int count) {
    return HexFormat.of().formatHex(of(bytes), 0, count);
  }

  /** The hex of the first {@code count} bytes of the SHA-256 of {@code text} in UTF-8. */
  public static String hexPrefix(String text, int count) {
    return hexPrefix(text.getBytes(StandardCharsets.UTF_8), count);
  }
}
