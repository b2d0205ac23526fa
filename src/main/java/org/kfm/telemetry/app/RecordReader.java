package org.kfm.telemetry.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads NDJSON records as raw bytes: one record per line ({@code \n}, with a trailing {@code \r}
 * dropped), blank lines skipped. A line longer than the cap is cut at cap + 1 bytes (enough to be
 * rejected as too large) and the rest of it skipped without being buffered. Reads the stream in
 * blocks of its own (no per-byte calls): wrap nothing around it.
 */
final class RecordReader {

  /** One record and the line it started on. */
  record Line(int number, byte[] bytes) {}

  private final InputStream in;
  private final int cap;
  private final byte[] buffer = new byte[1 << 16];
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
  private int position;
  private int limit;
  private int lineNumber;
  private boolean eof;

  RecordReader(InputStream in, int cap) {
    this.in = in;
    this.cap = cap;
  }

  /** The next non-blank line, or null at the end of the input. */
  Line next() throws IOException {
    while (true) {
      line.reset();
      boolean ended = false;
      while (!ended) {
        if (position == limit && !fill()) {
          break;
        }
        int start = position;
        int end = start;
        while (end < limit && buffer[end] != '\n') {
          end++;
        }
        int room = cap + 1 - line.size();
        if (room > 0) {
          line.write(buffer, start, Math.min(end - start, room));
        }
        ended = end < limit;
        position = ended ? end + 1 : end;
      }
      if (!ended && line.size() == 0) {
        return null;
      }
      lineNumber++;
      byte[] bytes = line.toByteArray();
      int length = bytes.length;
      if (length > 0 && bytes[length - 1] == '\r' && length <= cap) {
        bytes = Arrays.copyOf(bytes, length - 1);
      }
      if (!isBlank(bytes)) {
        return new Line(lineNumber, bytes);
      }
      if (!ended) {
        return null;
      }
    }
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n = in.read(buffer, 0, buffer.length);
    while (n == 0) {
      n = in.read(buffer, 0, buffer.length);
    }
    if (n < 0) {
      eof = true;
      return false;
    }
    position = 0;
    limit = n;
    return true;
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
