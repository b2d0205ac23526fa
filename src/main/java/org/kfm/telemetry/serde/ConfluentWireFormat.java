package org.kfm.telemetry.serde;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: one magic byte {@code 0}, the schema id as a 4-byte big-endian int,
 * then the Avro binary encoding of the datum (no container-file header).
 */
public final class ConfluentWireFormat {

  /** The first byte of every framed record. */
  public static final byte MAGIC_BYTE = 0x0;

  /** Magic byte plus schema id: where the Avro body starts. */
  public static final int HEADER_SIZE = 5;

  private ConfluentWireFormat() {}

  /** Writes the 5-byte header for {@code schemaId}. */
  public static void writeHeader(ByteArrayOutputStream out, int schemaId) {
    out.write(MAGIC_BYTE);
    out.write(schemaId >>> 24);
    out.write(schemaId >>> 16);
    out.write(schemaId >>> 8);
    out.write(schemaId);
  }

  /**
   * The schema id of a framed record; the Avro body starts at {@link #HEADER_SIZE}.
   *
   * @throws SerializationException when the record is shorter than the header or its magic byte is
   *     not 0
   */
  public static int schemaId(byte[] record) {
    if (record.length < HEADER_SIZE) {
      throw new SerializationException(
          "Record of "
              + record.length
              + " byte(s) is too short for the Confluent "
              + "wire format (magic byte 0 + 4-byte schema id + Avro body): truncated, or not written by an Avro serializer");
    }
    if (record[0] != MAGIC_BYTE) {
      throw new SerializationException(
          String.format(
              Locale.ROOT,
              "Unknown magic byte 0x%02x (expected 0x00): "
                  + "the record is not in the Confluent Avro wire format%s",
              record[0] & 0xff,
              record[0] == '{' || record[0] == '[' ? " (it looks like JSON)" : ""));
    }
    return (record[1] & 0xff) << 24
        | (record[2] & 0xff) << 16
        | (record[3] & 0xff) << 8
        | record[4] & 0xff;
  }
}
