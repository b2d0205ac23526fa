package org.kfm.telemetry.validation.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@code pattern}'s table for one repeated character class decides exactly as the regular
 * expression it stands in for.
 */
class StringKeywordsTest {

  /** The contract's class runs, and other quantifiers and classes the table must read right. */
  private static final List<String> PATTERNS =
      List.of(
          "^[0-9a-f]{7,64}$",
          "^[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00a0\\u00ad\\u1680\\u180e\\u2000-\\u200f"
              + "\\u2028-\\u202f\\u205f-\\u2064\\u2066-\\u206f\\u3000\\ufeff\\ufff9-\\ufffb]+$",
          "^[a-z]*$",
          "^[A-Z_]{3}$",
          "^[\\w.-]{2,}$",
          "^[\\]\\\\x]+$",
          "^[^a]{0,2}$",
          // not class runs: the regular expression decides
          "^(?!0{16})[0-9a-f]{16}$",
          "^base64:",
          "[0-9]+");

  @Test
  void contractClassRunsAreRecognised() {
    assertThat(StringKeywords.matcher("^[0-9a-f]{7,64}$").test("0123abc")).isTrue();
    assertThat(StringKeywords.matcher("^[0-9a-f]{7,64}$").test("0123ab")).isFalse();
    assertThat(StringKeywords.matcher("^[0-9a-f]{7,64}$").test("0123abC")).isFalse();
    assertThat(StringKeywords.matcher("^[0-9a-f]{7,64}$").test("0".repeat(65))).isFalse();
    assertThat(StringKeywords.matcher("^[^\\s]+$").test("a b")).isFalse();
    assertThat(StringKeywords.matcher("^[^\\s]+$").test("")).isFalse();
    assertThat(StringKeywords.matcher("^[^\\s]+$").test("é")).isTrue();
  }

  @Property(tries = 3000)
  void decidesAsTheRegularExpression(
      @ForAll("patterns") String source, @ForAll("texts") String text) {
    Predicate<String> matcher = StringKeywords.matcher(source);
    boolean expected = Pattern.compile(StringKeywords.ecmaToJava(source)).matcher(text).find();
    assertThat(matcher.test(text)).as("%s on %s", source, text).isEqualTo(expected);
  }

  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.of(PATTERNS);
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<Character> chars =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.chars().range('0', '9')),
            net.jqwik.api.Tuple.of(6, Arbitraries.chars().range('a', 'f')),
            net.jqwik.api.Tuple.of(3, Arbitraries.chars().ascii()),
            net.jqwik.api.Tuple.of(
                1, Arbitraries.of(' ', '\u00a0', '\u2028', '\ufeff', 'é', '\ud83d', '\ude00')));
    return chars.list().ofMaxSize(70).map(StringKeywordsTest::join);
  }

  private static String join(List<Character> chars) {
    StringBuilder s = new StringBuilder(chars.size());
    chars.forEach(s::append);
    return s.toString();
  }
}
