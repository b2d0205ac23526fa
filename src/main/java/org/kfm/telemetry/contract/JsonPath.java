package org.kfm.telemetry.contract;

import java.util.Arrays;

/**
 * The path from the root of a JSON document to the value being looked at, kept as segments (object
 * keys and array indexes) while a tree is read or walked; the JSON Pointer is built only when a
 * finding needs it. Not thread-safe: one per parse or walk.
 */
public final class JsonPath {

  private static final String[] NO_KEYS = {};
  private static final int[] NO_INDEXES = {};

  // A segment is keys[i] when non-null, else the array index indexes[i]: no boxing on the hot path.
  // Allocated at the first push: a path that is never entered (a validity check) costs nothing.
  private String[] keys = NO_KEYS;
  private int[] indexes = NO_INDEXES;
  private int size;

  public void push(String key) {
    grow();
    keys[size++] = key;
  }

  public void push(int index) {
    grow();
    keys[size] = null;
    indexes[size++] = index;
  }

  public void pop() {
    size--;
  }

  /** True when the innermost segment is an array index. */
  public boolean atArrayElement() {
    return size > 0 && keys[size - 1] == null;
  }

  /** The RFC 6901 pointer of the current value ("" at the root). */
  public String pointer() {
    String pointer = "";
    for (int i = 0; i < size; i++) {
      String key = keys[i];
      pointer =
          key != null ? JsonPointers.child(pointer, key) : JsonPointers.child(pointer, indexes[i]);
    }
    return pointer;
  }

  /** The pointer of member {@code key} of the current value. */
  public String pointer(String key) {
    return JsonPointers.child(pointer(), key);
  }

  private void grow() {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, Math.max(8, size * 2));
      indexes = Arrays.copyOf(indexes, Math.max(8, size * 2));
    }
  }
}
