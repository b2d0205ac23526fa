package org.kfm.telemetry.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The service's canonical writer is the reference implementation of RFC 8785 byte for byte: for any
 * JSON tree (nested objects and arrays, strings with escapes, controls, non-ASCII and astral
 * characters, integers of any size, doubles, decimals, literals), {@link Canonical#bytes} equals
 * {@code JsonCanonicalizer} over the tree's JSON text, and {@link Canonical#sha256} is the SHA-256
 * of those bytes.
 */
class CanonicalEquivalenceProperties {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Property(tries = 2000)
  void shouldWriteWhatTheReferenceImplementationWrites(@ForAll("trees") JsonNode tree)
      throws Exception {
    byte[] reference = new JsonCanonicalizer(MAPPER.writeValueAsString(tree)).getEncodedUTF8();

    assertThat(Canonical.bytes(tree)).isEqualTo(reference);
    assertThat(Canonical.sha256(tree)).isEqualTo("sha256:" + Sha256.hex(reference));
  }

  @Property(tries = 300)
  void shouldAgreeOnTreesParsedFromText(@ForAll("trees") JsonNode tree) throws Exception {
    // the same tree as a parser builds it (numbers as the parser types them)
    JsonNode parsed = MAPPER.readTree(MAPPER.writeValueAsString(tree));
    byte[] reference = new JsonCanonicalizer(MAPPER.writeValueAsString(parsed)).getEncodedUTF8();

    assertThat(Canonical.bytes(parsed)).isEqualTo(reference);
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    // the reference implementation canonicalizes objects (what payloads are) at the top
    return object(3);
  }

  private Arbitrary<JsonNode> value(int depth) {
    if (depth == 0) {
      return scalar();
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, scalar()),
        net.jqwik.api.Tuple.of(2, object(depth - 1)),
        net.jqwik.api.Tuple.of(2, array(depth - 1)));
  }

  private Arbitrary<JsonNode> object(int depth) {
    return Combinators.combine(keys().list().ofMaxSize(6), value(depth).list().ofMaxSize(6))
        .as(
            (List<String> keys, List<JsonNode> values) -> {
              ObjectNode o = NODES.objectNode();
              for (int i = 0; i < Math.min(keys.size(), values.size()); i++) {
                o.set(keys.get(i), values.get(i));
              }
              return o;
            });
  }

  private Arbitrary<JsonNode> array(int depth) {
    return value(depth)
        .list()
        .ofMaxSize(5)
        .map(
            items -> {
              ArrayNode a = NODES.arrayNode();
              items.forEach(a::add);
              return a;
            });
  }

  private Arbitrary<JsonNode> scalar() {
    return Arbitraries.oneOf(
        strings().map(NODES::textNode),
        Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
        Arbitraries.longs().map(l -> (JsonNode) NODES.numberNode(l)),
        Arbitraries.bigIntegers()
            .between(BigInteger.TEN.pow(25).negate(), BigInteger.TEN.pow(25))
            .map(b -> (JsonNode) NODES.numberNode(b)),
        Arbitraries.doubles()
            .filter(d -> !d.isNaN() && !d.isInfinite())
            .map(d -> (JsonNode) NODES.numberNode(d)),
        Arbitraries.bigDecimals()
            .between(new BigDecimal("-1e12"), new BigDecimal("1e12"))
            .ofScale(6)
            .map(b -> (JsonNode) NODES.numberNode(b)),
        Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()),
        // the edges of the integer fast path: 2^53 and its neighbours, integral doubles, -0.0
        Arbitraries.of(
                NODES.numberNode(9007199254740992L),
                NODES.numberNode(9007199254740993L),
                NODES.numberNode(-9007199254740992L),
                NODES.numberNode(-9007199254740993L),
                NODES.numberNode(Long.MAX_VALUE),
                NODES.numberNode(Long.MIN_VALUE),
                NODES.numberNode(1.0),
                NODES.numberNode(-0.0),
                NODES.numberNode(9007199254740992.0),
                NODES.numberNode(9007199254740994.0),
                NODES.numberNode(1e20),
                NODES.numberNode(1e21),
                NODES.numberNode(-123456.0),
                NODES.numberNode(new BigDecimal("42.000")),
                NODES.numberNode(new BigInteger("9007199254740993")))
            .map(n -> (JsonNode) n));
  }

  private Arbitrary<String> keys() {
    return Arbitraries.oneOf(
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), strings());
  }

  private Arbitrary<String> strings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(12),
        Arbitraries.strings().withCharRange('\u0000', '\u0040').ofMaxLength(12),
        Arbitraries.strings()
            .withChars("\"\\/\b\f\n\r\t\u007f\u0080\u2028\u2029€é\uffff")
            .ofMaxLength(12),
        Arbitraries.of("\ud83d\ude00", "a\ud83d\ude00b", "\ud834\udd1e", "日本語", ""),
        // long printable ASCII (copied in bulk, across the digest's 1 KB buffer), also with one
        // char to escape at its end
        Arbitraries.strings().withCharRange(' ', '~').ofMinLength(900).ofMaxLength(2500),
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .ofMinLength(900)
            .ofMaxLength(2500)
            .map(text -> text + "\u00e9\n"));
  }
}
