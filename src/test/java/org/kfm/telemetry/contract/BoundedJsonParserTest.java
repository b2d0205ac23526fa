package org.kfm.telemetry.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BoundedJsonParserTest {

  private final BoundedJsonParser parser = new BoundedJsonParser(Limits.DEFAULT);

  private ParsedJson parse(String json) {
    return parser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldParseAnObjectKeepingIntegersAsIntegers() {
    ParsedJson parsed = parse("{\"a\":1,\"b\":12345678901,\"c\":1.5,\"d\":[true,null,\"x\"]}");

    assertThat(parsed.isOk()).isTrue();
    assertThat(parsed.root().get("a").isInt()).isTrue();
    assertThat(parsed.root().get("b").isLong()).isTrue();
    assertThat(parsed.root().get("c").isDouble()).isTrue();
    assertThat(parsed.root().get("d").size()).isEqualTo(3);
  }

  @Test
  void shouldReportDuplicateKeyWithItsPointer() {
    ParsedJson parsed = parse("{\"run\":{\"run_id\":\"a\",\"run_id\":\"b\"}}");

    assertThat(parsed.problem().kind()).isEqualTo(ParseProblem.Kind.DUPLICATE_KEY);
    assertThat(parsed.problem().pointer()).isEqualTo("/run/run_id");
  }

  @Test
  void shouldRejectTopLevelArrayAndTrailingContent() {
    assertThat(parse("[1,2]").problem().kind()).isEqualTo(ParseProblem.Kind.NOT_AN_OBJECT);
    assertThat(parse("{} {}").problem().kind()).isEqualTo(ParseProblem.Kind.SYNTAX);
    assertThat(parse("{}x").problem().kind()).isEqualTo(ParseProblem.Kind.SYNTAX);
    assertThat(parse("  ").problem().kind()).isEqualTo(ParseProblem.Kind.SYNTAX);
    assertThat(parser.parse(new byte[0]).problem().kind()).isEqualTo(ParseProblem.Kind.SYNTAX);
  }

  @Test
  void shouldRejectIllFormedUtf8AndByteOrderMark() {
    assertThat(parser.parse(HexFormat.of().parseHex("7b2261223a22c0af227d")).problem().kind())
        .as("overlong '/'")
        .isEqualTo(ParseProblem.Kind.INVALID_UTF8);
    assertThat(parser.parse(HexFormat.of().parseHex("7b2261223a22eda080227d")).problem().kind())
        .as("encoded surrogate")
        .isEqualTo(ParseProblem.Kind.INVALID_UTF8);
    assertThat(parser.parse(HexFormat.of().parseHex("efbbbf7b7d")).problem().kind())
        .as("BOM")
        .isEqualTo(ParseProblem.Kind.INVALID_UTF8);
    assertThat(parser.parse(HexFormat.of().parseHex("7b2261223a22f09f9880227d")).isOk())
        .as("a 4-byte emoji is fine")
        .isTrue();
  }

  @Test
  void shouldRejectUnpairedSurrogateEscapeButAcceptPairs() {
    assertThat(parse("{\"a\":\"\\ud800x\"}").problem().kind())
        .isEqualTo(ParseProblem.Kind.INVALID_UTF8);
    assertThat(parse("{\"a\":\"\\udc00\"}").problem().pointer()).isEqualTo("/a");
    assertThat(parse("{\"a\":\"\\ud83d\\ude00\"}").isOk()).isTrue();
  }

  @Test
  void shouldEnforceDepthAndLengthLimitsWithPointers() {
    Limits small = new Limits(1000, 3, 5, 4, 6);
    BoundedJsonParser tight = new BoundedJsonParser(small);

    assertThat(tight.parse(bytes("{\"a\":{\"b\":{\"c\":1}}}")).isOk()).isTrue();
    ParsedJson deep = tight.parse(bytes("{\"a\":{\"b\":{\"c\":{\"d\":1}}}}"));
    assertThat(deep.problem().kind()).isEqualTo(ParseProblem.Kind.TOO_DEEP);
    assertThat(tight.parse(bytes("{\"a\":\"123456\"}")).problem().kind())
        .isEqualTo(ParseProblem.Kind.TOO_LONG);
    assertThat(tight.parse(bytes("{\"abcde\":1}")).problem().kind())
        .isEqualTo(ParseProblem.Kind.TOO_LONG);
    assertThat(tight.parse(bytes("{\"a\":1234567}")).problem().kind())
        .isEqualTo(ParseProblem.Kind.TOO_LONG);
    assertThat(tight.parse(new byte[1001]).problem().kind()).isEqualTo(ParseProblem.Kind.TOO_LARGE);
  }

  @Test
  void shouldRejectNumbersOutsideDoubleRange() {
    assertThat(parse("{\"a\":1e999}").problem().kind()).isEqualTo(ParseProblem.Kind.SYNTAX);
    assertThat(parse("{\"a\":NaN}").problem().kind()).isEqualTo(ParseProblem.Kind.SYNTAX);
  }

  @Test
  @Timeout(10)
  void shouldRejectPathologicalInputsQuickly() {
    // Given a megabyte of nesting, of backslashes, of keys
    byte[] brackets =
        "[".repeat(Limits.DEFAULT.maxRecordBytes() - 10).getBytes(StandardCharsets.US_ASCII);
    byte[] objects = "{\"a\":".repeat(200_000).getBytes(StandardCharsets.US_ASCII);
    StringBuilder keys = new StringBuilder("{");
    for (int i = 0; i < 60_000; i++) {
      keys.append("\"k").append(i).append("\":0,");
    }
    keys.append("\"k\":0}");

    // Then each gets an answer, not an exception or a hang
    assertThat(parser.parse(brackets).problem().kind()).isEqualTo(ParseProblem.Kind.NOT_AN_OBJECT);
    assertThat(parser.parse(objects).problem().kind()).isEqualTo(ParseProblem.Kind.TOO_DEEP);
    assertThat(parser.parse(bytes(keys.toString())).isOk()).isTrue();
    assertThat(parser.parse(bytes("{\"a\":\"" + "\\\\".repeat(400_000) + "\"}")).problem().kind())
        .isEqualTo(ParseProblem.Kind.TOO_LONG);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
