package org.kfm.telemetry.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** The schemas and records the serde tests share. */
public final class TestSchemas {

  /** Version 1 of Reading, from {@code serde/reading-v1.avsc}. */
  public static final Schema READING_V1 = load("/serde/reading-v1.avsc");

  /** A schema no Reading version is compatible with (a required field without default). */
  public static final Schema INCOMPATIBLE =
      new Schema.Parser()
          .parse(
              """
      {"type": "record", "name": "Reading", "namespace": "org.kfm.telemetry.serde.fixtures",
       "fields": [{"name": "sensor", "type": "string"}, {"name": "site", "type": "string"}]}""");

  private TestSchemas() {}

  public static GenericRecord readingV1(String sensor, double value, String... tags) {
    GenericRecord record = new GenericData.Record(READING_V1);
    record.put("sensor", sensor);
    record.put("value", value);
    record.put("tags", List.of(tags));
    return record;
  }

  private static Schema load(String resource) {
    try (InputStream in = TestSchemas.class.getResourceAsStream(resource)) {
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
