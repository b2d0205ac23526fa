package org.kfm.telemetry.contract;

/**
 * Bounds on a single record, enforced before and while it is parsed so that no input can make the
 * parser use unbounded time or memory.
 *
 * @param maxRecordBytes largest accepted record, in bytes
 * @param maxDepth deepest accepted nesting of objects and arrays (the top-level object is 1)
 * @param maxStringLength longest accepted string value, in UTF-16 chars
 * @param maxNameLength longest accepted object key, in UTF-16 chars
 * @param maxNumberLength longest accepted number literal, in chars
 */
public record Limits(
    int maxRecordBytes, int maxDepth, int maxStringLength, int maxNameLength, int maxNumberLength) {

  /**
   * The defaults of contract v2: 1 MiB, depth 32, strings of 64 Ki chars, keys of 256, numbers of
   * 100.
   */
  public static final Limits DEFAULT = new Limits(1 << 20, 32, 65_536, 256, 100);

  public Limits {
    requirePositive("maxRecordBytes", maxRecordBytes);
    requirePositive("maxDepth", maxDepth);
    requirePositive("maxStringLength", maxStringLength);
    requirePositive("maxNameLength", maxNameLength);
    requirePositive("maxNumberLength", maxNumberLength);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
