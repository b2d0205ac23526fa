package org.kfm.telemetry.contract;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 well-formedness (RFC 3629): no overlong forms, no encoded surrogates, nothing above
 * U+10FFFF, no truncated sequences. Runs in one pass with an ASCII fast path.
 */
public final class Utf8 {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long ONES = 0x0101010101010101L;

  private Utf8() {}

  /**
   * True when {@code bytes} contains the byte {@code b} (an ASCII byte), looking at eight at a
   * time.
   */
  public static boolean contains(byte[] bytes, byte b) {
    long pattern = ONES * (b & 0xFF);
    int i = 0;
    for (; i + 8 <= bytes.length; i += 8) {
      long x = (long) LONGS.get(bytes, i) ^ pattern;
      if (((x - ONES) & ~x & HIGH_BITS) != 0) {
        return true;
      }
    }
    for (; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return true;
      }
    }
    return false;
  }

  /** {@link #inspect} flag: the bytes contain a NUL. */
  public static final long HAS_NUL = 1L << 32;

  /** {@link #inspect} flag: the bytes contain a backslash. */
  public static final long HAS_BACKSLASH = 1L << 33;

  private static final long LOW_32 = 0xFFFFFFFFL;
  private static final long BACKSLASHES = ONES * '\\';

  /**
   * One pass over a record: well-formedness (as {@link #firstInvalid}) and whether it holds a NUL
   * or a backslash. Returns {@code firstInvalid + 1} in the low 32 bits (0 when well-formed) plus
   * the {@link #HAS_NUL} and {@link #HAS_BACKSLASH} flags.
   */
  public static long inspect(byte[] bytes) {
    int length = bytes.length;
    // Zero bytes and backslashes of the ASCII prefix are gathered without a branch: the zero-byte
    // test may misplace a zero within its word, but never misses one nor reports one that is not
    // there.
    long zeros = 0;
    long backslashes = 0;
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      long w = (long) LONGS.get(bytes, i);
      if ((w & HIGH_BITS) != 0) {
        break; // non-ASCII from here on: the byte-wise loop below takes over
      }
      zeros |= (w - ONES) & ~w;
      long b = w ^ BACKSLASHES;
      backslashes |= (b - ONES) & ~b;
    }
    long flags =
        ((zeros & HIGH_BITS) != 0 ? HAS_NUL : 0)
            | ((backslashes & HIGH_BITS) != 0 ? HAS_BACKSLASH : 0);
    for (int k = i; k < length; k++) {
      byte b = bytes[k];
      if (b == 0) {
        flags |= HAS_NUL;
      } else if (b == '\\') {
        flags |= HAS_BACKSLASH;
      }
    }
    int bad = i == length ? -1 : firstInvalidFrom(bytes, i, length);
    return flags | ((bad + 1) & LOW_32);
  }

  /**
   * Returns the offset of the first byte that starts an ill-formed sequence in {@code bytes[0,
   * length)}, or -1 when the whole range is well-formed UTF-8.
   */
  public static int firstInvalid(byte[] bytes, int length) {
    return firstInvalidFrom(bytes, 0, length);
  }

  private static int firstInvalidFrom(byte[] bytes, int from, int length) {
    int i = from;
    while (i < length) {
      // Eight ASCII bytes at a time: the common case for telemetry.
      if (i + 8 <= length && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
        i += 8;
        continue;
      }
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xFF;
      if (b < 0xC2) {
        return i; // continuation byte without a lead, or overlong 2-byte lead C0/C1
      } else if (b < 0xE0) {
        if (i + 1 >= length || !isContinuation(bytes[i + 1])) {
          return i;
        }
        i += 2;
      } else if (b < 0xF0) {
        if (i + 2 >= length) {
          return i;
        }
        int b1 = bytes[i + 1] & 0xFF;
        if ((b == 0xE0 && b1 < 0xA0) // overlong
            || (b == 0xED && b1 > 0x9F) // UTF-16 surrogate code points
            || !isContinuation(bytes[i + 1])
            || !isContinuation(bytes[i + 2])) {
          return i;
        }
        i += 3;
      } else if (b < 0xF5) {
        if (i + 3 >= length) {
          return i;
        }
        int b1 = bytes[i + 1] & 0xFF;
        if ((b == 0xF0 && b1 < 0x90) // overlong
            || (b == 0xF4 && b1 > 0x8F) // above U+10FFFF
            || !isContinuation(bytes[i + 1])
            || !isContinuation(bytes[i + 2])
            || !isContinuation(bytes[i + 3])) {
          return i;
        }
        i += 4;
      } else {
        return i;
      }
    }
    return -1;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
