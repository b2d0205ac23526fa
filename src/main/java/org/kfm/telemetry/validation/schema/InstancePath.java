package org.kfm.telemetry.validation.schema;

import org.kfm.telemetry.contract.JsonPointers;

/** The path to the instance value being validated, as segments; a pointer is built only for errors. */
final class InstancePath {

  private Object[] segments = new Object[16];
  private int size;

  void push(Object segment) {
    if (size == segments.length) {
      segments = java.util.Arrays.copyOf(segments, size * 2);
    }
    segments[size++] = segment;
  }

  void pop() {
    size--;
  }

  String pointer() {
    String pointer = "";
    for (int i = 0; i < size; i++) {
      Object s = segments[i];
      pointer = s instanceof String key ? JsonPointers.child(pointer, key) : JsonPointers.child(pointer, (Integer) s);
    }
    return pointer;
  }

  String pointer(String child) {
    return JsonPointers.child(pointer(), child);
  }
}
