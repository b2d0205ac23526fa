package org.kfm.telemetry.contract;

/** Building RFC 6901 JSON Pointers from path segments. */
public final class JsonPointers {

  private JsonPointers() {}

  /** Appends one object key to a pointer, escaping {@code ~} and {@code /}. */
  public static String child(String parent, String key) {
    if (key.indexOf('~') < 0 && key.indexOf('/') < 0) {
      return parent + '/' + key;
    }
    return parent + '/' + key.replace("~", "~0").replace("/", "~1");
  }

  /** Appends one array index to a pointer. */
  public static String child(String parent, int index) {
    return parent + '/' + index;
  }
}
