package org.kfm.telemetry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ConfluentWireFormatTest {

  @Test
  void shouldWriteMagicByteThenBigEndianSchemaId() {
    // Given
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    // When
    ConfluentWireFormat.writeHeader(out, 0x01020304);

    // Then
    assertThat(out.toByteArray()).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void shouldReadBackTheSchemaIdIncludingTheHighestIds() {
    // Given
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ConfluentWireFormat.writeHeader(out, Integer.MAX_VALUE);
    out.write(42);

    // When
    int id = ConfluentWireFormat.schemaId(out.toByteArray());

    // Then
    assertThat(id).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void shouldRejectAnotherMagicByteAndSayItLooksLikeJson() {
    // Given
    byte[] json = "{\"kind\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    // When / Then
    assertThatThrownBy(() -> ConfluentWireFormat.schemaId(json))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Unknown magic byte 0x7b")
        .hasMessageContaining("looks like JSON");
  }

  @Test
  void shouldRejectARecordShorterThanTheHeader() {
    // Given
    byte[] truncated = {0, 0, 0};

    // When / Then
    assertThatThrownBy(() -> ConfluentWireFormat.schemaId(truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("3 byte(s) is too short");
  }
}
