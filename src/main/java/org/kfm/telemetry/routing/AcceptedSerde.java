package org.kfm.telemetry.routing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serde of the de-duplication repartition topic: an {@link Routed.Accepted} as a 4-byte
 * big-endian length (-1 when the event has no join key), the join key in UTF-8, then the encoded
 * event (copied, never re-encoded).
 */
public final class AcceptedSerde implements Serde<Routed.Accepted> {

  @Override
  public Serializer<Routed.Accepted> serializer() {
    return (topic, accepted) -> {
      if (accepted == null) {
        return null;
      }
      byte[] key =
          accepted.joinKey() == null
              ? new byte[0]
              : accepted.joinKey().getBytes(StandardCharsets.UTF_8);
      return ByteBuffer.allocate(4 + key.length + accepted.event().length)
          .putInt(accepted.joinKey() == null ? -1 : key.length)
          .put(key)
          .put(accepted.event())
          .array();
    };
  }

  @Override
  public Deserializer<Routed.Accepted> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      int length = bytes.length >= 4 ? buffer.getInt() : -2;
      if (length < -1 || length > bytes.length - 4) {
        throw new SerializationException(
            "not an accepted event from validate-route: " + bytes.length + " bytes");
      }
      String joinKey = length < 0 ? null : new String(bytes, 4, length, StandardCharsets.UTF_8);
      int keyBytes = Math.max(0, length);
      byte[] event = new byte[bytes.length - 4 - keyBytes];
      buffer.position(4 + keyBytes);
      buffer.get(event);
      return new Routed.Accepted(joinKey, event);
    };
  }
}
