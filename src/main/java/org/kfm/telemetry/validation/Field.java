package org.kfm.telemetry.validation;

import java.util.Arrays;
import org.kfm.telemetry.contract.JsonPath;

/**
 * The place of a value in the payload during a walk: the key of the nearest enclosing object member
 * (for array elements, the array's key), its name traits, and a pointer built only when asked.
 */
public final class Field {

  private final JsonPath path = new JsonPath();
  private String key = "";
  private int traits;
  // The enclosing keys and traits, grown on demand: payloads are rarely more than a few levels
  // deep.
  private String[] keys = new String[8];
  private int[] keyTraits = new int[8];
  private int depth;

  Field() {}

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
    return path.atArrayElement();
  }

  /** The JSON Pointer of the current value, relative to the payload. */
  public String pointer() {
    return path.pointer();
  }

  void enterKey(String k) {
    save();
    path.push(k);
    key = k;
    // Everything inside a secret ({"password": {"value": ...}}) is secret too.
    traits = KeyTraits.of(k) | (traits & (KeyTraits.SECRET | KeyTraits.PASSWORD));
  }

  void enterIndex(int index) {
    save();
    path.push(index);
  }

  void leave() {
    path.pop();
    depth--;
    key = keys[depth];
    traits = keyTraits[depth];
  }

  private void save() {
    if (depth == keys.length) {
      keys = Arrays.copyOf(keys, depth * 2);
      keyTraits = Arrays.copyOf(keyTraits, depth * 2);
    }
    keys[depth] = key;
    keyTraits[depth] = traits;
    depth++;
  }
}
