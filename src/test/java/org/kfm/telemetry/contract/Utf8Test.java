package org.kfm.telemetry.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class Utf8Test {

  @Property(tries = 2000)
  void shouldAgreeWithTheJdkStrictDecoder(@ForAll byte[] bytes) {
    boolean jdkAccepts;
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
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
}
