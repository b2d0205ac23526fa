package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordReaderTest {

  private static List<String> read(InputStream in, int cap) throws IOException {
    RecordReader reader = new RecordReader(in, cap);
    List<String> lines = new ArrayList<>();
    RecordReader.Line line;
    while ((line = reader.next()) != null) {
      lines.add(line.number() + ":" + new String(line.bytes(), StandardCharsets.UTF_8));
    }
    return lines;
  }

  private static InputStream bytes(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Hands out at most {@code chunk} bytes per read, as pipes and sockets do. */
  private static InputStream trickle(String s, int chunk) {
    return new FilterInputStream(bytes(s)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  @Test
  void shouldNumberLinesSkipBlankOnesAndDropATrailingCarriageReturn() throws IOException {
    assertThat(read(bytes("a\n\n \t\nb\r\n\r\nc"), 100)).containsExactly("1:a", "4:b", "6:c");
    assertThat(read(bytes("a\n"), 100)).containsExactly("1:a");
    assertThat(read(bytes(""), 100)).isEmpty();
    assertThat(read(bytes("\n\n  "), 100)).isEmpty();
  }

  @Test
  void shouldCutALineLongerThanTheCapAtCapPlusOneAndSkipTheRest() throws IOException {
    assertThat(read(bytes("abcdefgh\nxy\n"), 3)).containsExactly("1:abcd", "2:xy");
    // a carriage return beyond the cap is part of the cut, not dropped
    assertThat(read(bytes("abc\r\n"), 3)).containsExactly("1:abc\r");
  }

  @Test
  void shouldReadLinesAcrossItsBufferAndAcrossShortReads() throws IOException {
    String big = "x".repeat(200_000);
    String input = "a\n" + big + "\nb\n";

    assertThat(read(bytes(input), 1 << 20)).containsExactly("1:a", "2:" + big, "3:b");
    assertThat(read(trickle(input, 7), 1 << 20)).containsExactly("1:a", "2:" + big, "3:b");
    assertThat(read(trickle(input, 7), 10)).containsExactly("1:a", "2:" + "x".repeat(11), "3:b");
  }
}
