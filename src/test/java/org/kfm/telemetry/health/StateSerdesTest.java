package org.kfm.telemetry.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * The health checks' binary state values: every value back as it was, the JSON of earlier versions
 * still read, and bytes of neither format refused with a SerializationException.
 */
class StateSerdesTest {

  @Property
  void shouldRoundTripRunStates(@ForAll("runStates") RunState state) {
    assertThat(roundTrip(StateSerdes.runStates(), state)).isEqualTo(state);
  }

  @Property
  void shouldRoundTripRunChanges(
      @ForAll("outcomes") RunOutcome removed,
      @ForAll("outcomes") RunOutcome added,
      @ForAll boolean withRemoved,
      @ForAll long at) {
    RunChange change = new RunChange(withRemoved ? removed : null, added, at);

    assertThat(roundTrip(StateSerdes.runChanges(), change)).isEqualTo(change);
  }

  @Property
  void shouldRoundTripPanes(
      @ForAll int checked,
      @ForAll int trace,
      @ForAll int energy,
      @ForAll int clamped,
      @ForAll("nullableLongs") Long lastRunAt,
      @ForAll boolean withEmitted,
      @ForAll int revision,
      @ForAll int digest) {
    Pane pane =
        new Pane(
            checked,
            trace,
            energy,
            clamped,
            lastRunAt,
            withEmitted ? new Pane.Emitted(revision, digest) : null);

    assertThat(roundTrip(StateSerdes.panes(), pane)).isEqualTo(pane);
  }

  @Property
  void shouldRoundTripScopeStates(
      @ForAll("nullableLongs") Long a,
      @ForAll("nullableLongs") Long b,
      @ForAll("nullableLongs") Long c,
      @ForAll("nullableLongs") Long d,
      @ForAll("nullableLongs") Long e) {
    ScopeState scope = new ScopeState(a, b, c, d, e);

    assertThat(roundTrip(StateSerdes.scopes(), scope)).isEqualTo(scope);
  }

  @Test
  void shouldWriteARunStateInAFractionOfItsJsonBytes() {
    RunState state =
        new RunState(
            "kfm.ingest.hydrology.river_gauges",
            true,
            false,
            1733400000000L,
            false,
            1733400001234L);

    byte[] binary = StateSerdes.runStates().serializer().serialize("t", state);
    byte[] json = new JsonSerde<>(RunState.class).serializer().serialize("t", state);

    assertThat(binary[0]).isEqualTo(StateSerdes.FORMAT);
    assertThat(binary.length).isLessThan(json.length / 2);
  }

  @Test
  void shouldStillReadTheJsonOfEarlierVersions() {
    // Given values as the JSON serde of earlier versions wrote them to changelogs and the
    // health-by-scope topic
    RunState state = new RunState("p", true, true, 5L, true, 7L);
    RunChange change =
        new RunChange(
            new RunOutcome("r1", null, 3L, false, true, false),
            new RunOutcome("r1", "p", 4L, true, true, false),
            4L);
    Pane pane = new Pane(3, 2, 1, 0, 9L, new Pane.Emitted(2, -17));
    ScopeState scope = new ScopeState(1L, null, 3L, null, 5L);

    // Then the binary serdes read them
    assertThat(fromJson(StateSerdes.runStates(), RunState.class, state)).isEqualTo(state);
    assertThat(fromJson(StateSerdes.runChanges(), RunChange.class, change)).isEqualTo(change);
    assertThat(fromJson(StateSerdes.panes(), Pane.class, pane)).isEqualTo(pane);
    assertThat(fromJson(StateSerdes.scopes(), ScopeState.class, scope)).isEqualTo(scope);
  }

  @Test
  void shouldRefuseBytesOfNeitherFormat() {
    Serde<RunState> serde = StateSerdes.runStates();
    byte[] good = serde.serializer().serialize("t", new RunState("p", true, false, 5L, false, 7L));
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);

    assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[0]))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("RunState");
    assertThatThrownBy(
            () -> serde.deserializer().deserialize("t", "x".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", longer))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("left over");
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
    assertThat(serde.serializer().serialize("t", null)).isNull();
  }

  private static <T> T roundTrip(Serde<T> serde, T value) {
    return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
  }

  private static <T> T fromJson(Serde<T> serde, Class<T> type, T value) {
    byte[] json = new JsonSerde<>(type).serializer().serialize("t", value);
    assertThat(json[0]).isEqualTo((byte) '{');
    return serde.deserializer().deserialize("t", json);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(60),
        Arbitraries.of("kfm.ingest.hydrology.river_gauges", "", "Ω≈ç√", "\uD83D\uDE00 run"));
  }

  @Provide
  Arbitrary<Long> nullableLongs() {
    return Arbitraries.longs().injectNull(0.3);
  }

  @Provide
  Arbitrary<RunState> runStates() {
    return Combinators.combine(
            names().injectNull(0.3),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            nullableLongs(),
            Arbitraries.of(true, false),
            Arbitraries.longs())
        .as(RunState::new);
  }

  @Provide
  Arbitrary<RunOutcome> outcomes() {
    return Combinators.combine(
            names(),
            names().injectNull(0.3),
            Arbitraries.longs(),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false))
        .as(RunOutcome::new);
  }
}
