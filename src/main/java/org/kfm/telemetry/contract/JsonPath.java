package org.kfm.telemetry.contract;

import java.util.Arrays;

/**
 * The path from the root of a JSON document to the value being looked at, kept as segments (object
 * keys and array indexes) while a tree is read or walked; the JSON Pointer is built only when a
 * finding needs it. Not thread-safe: one per parse or walk.
 */
public final class JsonPath {

  private Object[] segments = new Object[16];
  private int size;

  public void push(String key) {
    grow();
    segments[size++] = key;
  }

  public void push(int index) {
    grow();
    segments[size++] = index;
  }

  public void pop() {
    size--;
  }

  /** True when the innermost segment is an array index. */
  public boolean atArrayElement() {
    return size > 0 && segments[size - 1] instanceof Integer;
  }

  /** The RFC 6901 pointer of the current value ("" at the root). */
  public String pointer() {
    String pointer = "";
    for (int i = 0; i < size; i++) {
      Object s = segments[i];
      pointer = s instanceof String key ? JsonPointers.child(pointer, key) : JsonPointers.child(pointer, (Integer) s);
    }
    return pointer;
  }

  /** The pointer of member {@code key} of the current value. */
  public String pointer(String key) {
    return JsonPointers.child(pointer(), key);
  }

  private void grow() {
    if (size == segments.length) {
      segments = Arrays.copyOf(segments, size * 2);
    }
  }
}
