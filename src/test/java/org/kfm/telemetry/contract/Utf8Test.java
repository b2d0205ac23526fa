package org.kfm.telemetry.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class Utf8Test {

  @Property(tries = 2000)
  void shouldAgreeWithTheJdkStrictDecoder(@ForAll byte[] bytes) {
    boolean jdkAccepts;
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      jdkAccepts = true;
    } catch (CharacterCodingException e) {
      jdkAccepts = false;
    }
    assertThat(Utf8.firstInvalid(bytes, bytes.length) < 0).isEqualTo(jdkAccepts);
  }

  @Property(tries = 500)
  void shouldAcceptEveryEncodedString(@ForAll String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    // lone surrogates become '?' when encoded, so every encoded string is well-formed
    assertThat(Utf8.firstInvalid(bytes, bytes.length)).isEqualTo(-1);
  }

  @Property(tries = 2000)
  void shouldInspectInOnePassWhatTheSeparateChecksFind(
      @ForAll byte[] bytes, @ForAll boolean ascii) {
    byte[] input = bytes.clone();
    if (ascii) {
      for (int i = 0; i < input.length; i++) {
        input[i] &= 0x7F; // mostly ASCII records exercise the eight-bytes-at-a-time path
      }
    }
    long inspected = Utf8.inspect(input);

    assertThat((int) (inspected & 0xFFFFFFFFL) - 1)
        .isEqualTo(Utf8.firstInvalid(input, input.length));
    assertThat((inspected & Utf8.HAS_NUL) != 0).isEqualTo(Utf8.contains(input, (byte) 0));
    assertThat((inspected & Utf8.HAS_BACKSLASH) != 0).isEqualTo(Utf8.contains(input, (byte) '\\'));
  }
}
