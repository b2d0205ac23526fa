package org.kfm.telemetry.validation;

import org.kfm.telemetry.contract.JsonPointers;

/**
 * The place of a value in the payload during a walk: the key of the nearest enclosing object
 * member (for array elements, the array's key), its name traits, and a pointer built only when asked.
 */
public final class Field {

  private final Object[] segments;
  private int size;
  private String key = "";
  private int traits;
  private final String[] keys;
  private final int[] keyTraits;

  Field(int maxDepth) {
    segments = new Object[maxDepth + 2];
    keys = new String[maxDepth + 2];
    keyTraits = new int[maxDepth + 2];
  }

  /** The nearest object key ("" at the top level). */
  public String key() {
    return key;
  }

  /** Bit set of {@link KeyTraits} for {@link #key()}. */
  public int traits() {
    return traits;
  }

  public boolean has(int trait) {
    return (traits & trait) != 0;
  }

  /** True when the current value is an element of an array rather than an object member. */
  public boolean isArrayElement() {
    return size > 0 && segments[size - 1] instanceof Integer;
  }

  /** The JSON Pointer of the current value, relative to the payload. */
  public String pointer() {
    String pointer = "";
    for (int i = 0; i < size; i++) {
      Object s = segments[i];
      pointer = s instanceof String k ? JsonPointers.child(pointer, k) : JsonPointers.child(pointer, (Integer) s);
    }
    return pointer;
  }

  void enterKey(String k) {
    keys[size] = key;
    keyTraits[size] = traits;
    segments[size++] = k;
    key = k;
    // Everything inside a secret ({"password": {"value": ...}}) is secret too.
    traits = KeyTraits.of(k) | (traits & (KeyTraits.SECRET | KeyTraits.PASSWORD));
  }

  void enterIndex(int index) {
    keys[size] = key;
    keyTraits[size] = traits;
    segments[size++] = index;
  }

  void leave() {
    size--;
    key = keys[size];
    traits = keyTraits[size];
  }
}
