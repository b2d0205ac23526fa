package org.kfm.telemetry.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads NDJSON records as raw bytes: one record per line ({@code \n}, with a trailing {@code \r}
 * dropped), blank lines skipped. A line longer than the cap is cut at cap + 1 bytes (enough to be
 * rejected as too large) and the rest of it skipped without being buffered.
 */
final class RecordReader {

  /** One record and the line it started on. */
  record Line(int number, byte[] bytes) {}

  private final InputStream in;
  private final int cap;
  private int lineNumber;
  private boolean eof;

  RecordReader(InputStream in, int cap) {
    this.in = in;
    this.cap = cap;
  }

  /** The next non-blank line, or null at the end of the input. */
  Line next() throws IOException {
    while (!eof) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(256);
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        if (line.size() <= cap) {
          line.write(b);
        }
      }
      eof = b == -1;
      if (eof && line.size() == 0) {
        return null;
      }
      lineNumber++;
      byte[] bytes = line.toByteArray();
      int length = bytes.length;
      if (length > 0 && bytes[length - 1] == '\r' && length <= cap) {
        bytes = java.util.Arrays.copyOf(bytes, length - 1);
      }
      if (!isBlank(bytes)) {
        return new Line(lineNumber, bytes);
      }
    }
    return null;
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
