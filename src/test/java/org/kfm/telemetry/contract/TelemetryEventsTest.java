package org.kfm.telemetry.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kfm.telemetry.avro.JsonBigNumber;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.avro.ValidationWarning;

/** A payload survives the trip to Avro (and through Avro's binary encoding) and back. */
class TelemetryEventsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] SEEDS = {
    "focus-query",
    "pipeline-run-completed",
    "pipeline-run-started",
    "pipeline-step",
    "policy-decision",
    "stream-checkpoint",
    "template-copy-me",
    "ui-action",
    "wpe-alert"
  };

  @ParameterizedTest
  @ValueSource(
      strings = {
        "focus-query",
        "pipeline-run-completed",
        "pipeline-run-started",
        "pipeline-step",
        "policy-decision",
        "stream-checkpoint",
        "template-copy-me",
        "ui-action",
        "wpe-alert"
      })
  void shouldRebuildEverySeedExampleExactly(String name) throws IOException {
    ObjectNode payload = seed(name);

    ObjectNode rebuilt =
        TelemetryEvents.toPayload(
            roundTrip(TelemetryEvents.toEvent(payload, Envelope.BARE, "2.0.0", List.of())));

    assertThat(rebuilt).isEqualTo(payload);
    assertThat(canonical(rebuilt)).isEqualTo(canonical(payload));
  }

  @Test
  void shouldTypeTheCommonBlocksAndCarryValidationFacts() throws IOException {
    ObjectNode payload = seed("pipeline-run-completed");
    List<ValidationWarning> warnings =
        List.of(new ValidationWarning("KFM-META-010", "/run/commit_sha", "m"));

    TelemetryEvent event = TelemetryEvents.toEvent(payload, Envelope.BARE, "2.0.0", warnings);

    assertThat(event.getRun().getRunId()).isEqualTo("01J0M7Q8J7Y7P4B9D1M2ZK0E7A");
    assertThat(event.getArtifacts())
        .extracting(a -> a.getType())
        .containsExactly("run_manifest", "energy_report");
    assertThat(event.getMetrics().get("records_in").getValue()).isEqualTo(42L);
    assertThat(event.getMetrics().get("energy_kwh_est").getValue()).isEqualTo(0.012);
    assertThat(event.getEventTime()).isEqualTo(java.time.Instant.parse("2026-01-23T18:42:45.010Z"));
    assertThat(event.getValidation().getPayloadDigest()).isEqualTo(Canonical.sha256(payload));
    assertThat(event.getValidation().getWarnings()).isEqualTo(warnings);
    assertThat(event.getEnvelope()).isNull();
  }

  @Test
  void shouldKeepIntegersAsIntegersAndHugeIntegersExact() throws IOException {
    ObjectNode payload = seed("template-copy-me");
    payload
        .putObject("metrics")
        .put("count", 3)
        .put("big", 9_007_199_254_740_993L)
        .put("ratio", 0.5);
    payload.set("huge", NODES.numberNode(new BigInteger("123456789012345678901234567890")));

    ObjectNode rebuilt =
        TelemetryEvents.toPayload(
            roundTrip(TelemetryEvents.toEvent(payload, Envelope.BARE, "2.0.0", List.of())));

    assertThat(rebuilt.at("/metrics/count").isIntegralNumber()).isTrue();
    assertThat(rebuilt.at("/metrics/big").longValue()).isEqualTo(9_007_199_254_740_993L);
    assertThat(rebuilt.at("/metrics/ratio").isDouble()).isTrue();
    assertThat(rebuilt.get("huge").bigIntegerValue())
        .isEqualTo(new BigInteger("123456789012345678901234567890"));
  }

  @Test
  void shouldStoreIntegersBeyondWhatJavaScriptReadsExactlyAsText() {
    // Given integers at and just beyond avsc's long limit, both signs
    ObjectNode payload = seed("template-copy-me");
    payload
        .putObject("metrics")
        .put("edge", TelemetryEvents.MAX_SAFE_LONG)
        .put("beyond", TelemetryEvents.MAX_SAFE_LONG + 1)
        .put("negative_beyond", -TelemetryEvents.MAX_SAFE_LONG - 1)
        .put("min", Long.MIN_VALUE);

    // When mapped to Avro
    Map<String, org.kfm.telemetry.avro.JsonValue> metrics =
        TelemetryEvents.toEvent(payload, Envelope.BARE, "2.0.0", List.of()).getMetrics();

    // Then the edge stays a long, the others become JsonBigNumber text (and rebuild exactly, see
    // above)
    assertThat(metrics.get("edge").getValue()).isEqualTo(TelemetryEvents.MAX_SAFE_LONG);
    assertThat(metrics.get("beyond").getValue()).isEqualTo(new JsonBigNumber("9007199254740991"));
    assertThat(metrics.get("negative_beyond").getValue())
        .isEqualTo(new JsonBigNumber("-9007199254740991"));
    assertThat(metrics.get("min").getValue())
        .isEqualTo(new JsonBigNumber(String.valueOf(Long.MIN_VALUE)));
  }

  @Property(tries = 300)
  void shouldRebuildAnyPayloadWithTheSameCanonicalForm(@ForAll("payloads") ObjectNode payload)
      throws IOException {
    TelemetryEvent event =
        roundTrip(TelemetryEvents.toEvent(payload, Envelope.BARE, "2.0.0", List.of()));

    ObjectNode rebuilt = TelemetryEvents.toPayload(event);

    assertThat(canonical(rebuilt)).isEqualTo(canonical(payload));
  }

  @Property(tries = 500)
  void shouldWriteTheBytesAvroWritesOfTheEvent(
      @ForAll("payloads") ObjectNode payload,
      @ForAll("envelopes") Envelope envelope,
      @ForAll("warnings") List<ValidationWarning> warnings)
      throws IOException {
    // Given the event of a payload, as Avro writes it
    TelemetryEvent event =
        TelemetryEvents.toEvent(payload, envelope, "2.0.0", warnings, "sha256:abc");
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(expected, null);
    new SpecificDatumWriter<>(TelemetryEvent.class).write(event, encoder);
    encoder.flush();

    // When the payload is written straight
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    BinaryEncoder direct = EncoderFactory.get().binaryEncoder(written, null);
    TelemetryEvents.write(payload, envelope, "2.0.0", warnings, "sha256:abc", direct);
    direct.flush();

    // Then the bytes are the same
    assertThat(written.toByteArray()).isEqualTo(expected.toByteArray());
  }

  @Test
  void shouldRefuseToWriteAPayloadWithoutItsRequiredBlocks() throws IOException {
    ObjectNode payload = seed("pipeline-step");
    payload.put("privacy", "public");
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(new ByteArrayOutputStream(), null);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> TelemetryEvents.write(payload, Envelope.BARE, "2.0.0", List.of(), "d", encoder))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TelemetryEvent.privacy");
  }

  @Provide
  Arbitrary<Envelope> envelopes() {
    Arbitrary<String> text = Arbitraries.strings().ofMaxLength(6).injectNull(0.3);
    return Combinators.combine(
            Arbitraries.of(Envelope.Mode.values()), text, text, text, text, text, text)
        .as(
            (mode, spec, id, source, type, time, subject) ->
                mode == Envelope.Mode.BARE
                    ? Envelope.BARE
                    : new Envelope(mode, spec, id, source, type, time, subject, "/data"));
  }

  @Provide
  Arbitrary<List<ValidationWarning>> warnings() {
    Arbitrary<String> text = Arbitraries.strings().ofMaxLength(10);
    return Combinators.combine(text, text, text).as(ValidationWarning::new).list().ofMaxSize(3);
  }

  @Provide
  Arbitrary<ObjectNode> payloads() {
    Arbitrary<String> seed = Arbitraries.of(SEEDS);
    Arbitrary<List<Object[]>> additions =
        Combinators.combine(
                Arbitraries.of(
                    "run",
                    "correlation",
                    "target",
                    "metrics",
                    "policy",
                    "privacy",
                    "provenance",
                    "actor",
                    ""),
                Arbitraries.of(
                    "extra",
                    "run_id",
                    "window_hours",
                    "tags",
                    "denies",
                    "contains_pii",
                    "x",
                    "focus",
                    "日本",
                    "signature",
                    "event_time",
                    "validation",
                    "envelope",
                    "roles",
                    "digest"),
                jsonValues(3))
            .as((block, key, value) -> new Object[] {block, key, value})
            .list()
            .ofMaxSize(4);
    return Combinators.combine(seed, additions)
        .as(
            (name, list) -> {
              ObjectNode payload = seed(name);
              for (Object[] add : list) {
                String block = (String) add[0];
                ObjectNode target =
                    block.isEmpty() || !(payload.get(block) instanceof ObjectNode o) ? payload : o;
                target.set((String) add[1], (JsonNode) add[2]);
              }
              return payload;
            });
  }

  private Arbitrary<JsonNode> jsonValues(int depth) {
    List<Arbitrary<JsonNode>> leaves =
        new ArrayList<>(
            List.of(
                Arbitraries.strings().ofMaxLength(8).map(NODES::textNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.doubles().filter(Double::isFinite).map(NODES::numberNode),
                Arbitraries.bigIntegers()
                    .between(BigInteger.TEN.pow(20).negate(), BigInteger.TEN.pow(20))
                    .map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode())));
    if (depth == 0) {
      return Arbitraries.oneOf(leaves);
    }
    Arbitrary<JsonNode> inner = jsonValues(depth - 1);
    Arbitrary<JsonNode> arrays =
        inner
            .list()
            .ofMaxSize(3)
            .map(
                items -> {
                  ArrayNode array = NODES.arrayNode();
                  items.forEach(array::add);
                  return array;
                });
    Arbitrary<JsonNode> objects =
        Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(4), inner)
            .as((k, v) -> new Object[] {k, v})
            .list()
            .ofMaxSize(3)
            .map(
                members -> {
                  ObjectNode object = NODES.objectNode();
                  members.forEach(m -> object.set((String) m[0], (JsonNode) m[1]));
                  return object;
                });
    List<Arbitrary<JsonNode>> all = new ArrayList<>(leaves);
    all.add(arrays);
    all.add(objects);
    return Arbitraries.oneOf(all);
  }

  private static TelemetryEvent roundTrip(TelemetryEvent event) throws IOException {
    org.kfm.telemetry.serde.GeneratedClasses
        .trust(); // Avro 1.12.2 reads generated classes only when trusted
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(TelemetryEvent.class).write(event, encoder);
    encoder.flush();
    return new SpecificDatumReader<>(TelemetryEvent.class)
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }

  private static String canonical(JsonNode node) {
    return new String(Canonical.bytes(node), StandardCharsets.UTF_8);
  }

  private static ObjectNode seed(String name) {
    try (InputStream in =
        TelemetryEventsTest.class.getResourceAsStream("/seed-examples/" + name + ".json")) {
      return (ObjectNode) MAPPER.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
