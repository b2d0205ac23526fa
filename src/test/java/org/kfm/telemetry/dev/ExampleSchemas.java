package org.kfm.telemetry.dev;

/**
 * The Avro schemas the registry tests register: a record {@code R}, {@code R} with a field added
 * with a default (backward compatible), and an unrelated record.
 */
final class ExampleSchemas {

  static final String V1 =
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";
  static final String V2 =
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
          + "{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}]}";
  static final String OTHER =
      "{\"type\":\"record\",\"name\":\"Other\",\"fields\":[{\"name\":\"x\",\"type\":\"long\"}]}";

  private ExampleSchemas() {}
}
