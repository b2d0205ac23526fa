package org.kfm.telemetry.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The de-duplication repartition topic's values: join key and encoded event, both back as they
 * were.
 */
class AcceptedSerdeTest {

  private final AcceptedSerde serde = new AcceptedSerde();

  @Property
  void shouldRoundTripAnyJoinKeyAndEventBytes(@ForAll String joinKey, @ForAll byte[] event) {
    Routed.Accepted back =
        serde
            .deserializer()
            .deserialize(
                "t", serde.serializer().serialize("t", new Routed.Accepted(joinKey, event)));

    assertThat(back.joinKey()).isEqualTo(joinKey);
    assertThat(back.event()).isEqualTo(event);
  }

  @Test
  void shouldKeepAnEventWithoutJoinKeyWithoutOne() {
    byte[] event = {0, 0, 0, 0, 1, 2};

    Routed.Accepted back =
        serde
            .deserializer()
            .deserialize("t", serde.serializer().serialize("t", new Routed.Accepted(null, event)));

    assertThat(back.joinKey()).isNull();
    assertThat(back.event()).isEqualTo(event);
  }

  @Test
  void shouldRefuseBytesThatAreNotAnAcceptedEvent() {
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {0, 0}))
        .isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {0, 0, 0, 9, 1}))
        .isInstanceOf(SerializationException.class);
  }
}
