package org.kfm.telemetry.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8785 (JCS) as the library implements it, on the RFC's own examples. */
class CanonicalTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static String canonical(String json) throws Exception {
    return new String(Canonical.bytes(MAPPER.readTree(json)), StandardCharsets.UTF_8);
  }

  @Test
  void shouldCanonicalizeTheRfcMainExample() throws Exception {
    // RFC 8785 section 3.2.2
    String input =
        "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
            + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
            + "  \"literals\": [null, true, false]\n}";

    assertThat(canonical(input))
        .isEqualTo(
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,"
                + "0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
  }

  @Test
  void shouldSortKeysByUtf16CodeUnits() throws Exception {
    // RFC 8785 section 3.2.3
    String input =
        "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
            + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";

    assertThat(canonical(input))
        .isEqualTo(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\","
                + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // RFC 8785 appendix B: IEEE 754 value -> JSON number
        "0 | 0",
        "-0.0 | 0",
        "5e-324 | 5e-324",
        "1.7976931348623157e308 | 1.7976931348623157e+308",
        "9007199254740992 | 9007199254740992",
        "9007199254740993 | 9007199254740992",
        "295147905179352830000 | 295147905179352830000",
        "1e21 | 1e+21",
        "1e20 | 100000000000000000000",
        "0.000001 | 0.000001",
        "1e-7 | 1e-7",
        "48 | 48",
        "48.0 | 48",
        "97.9 | 97.9",
        "87.5 | 87.5"
      })
  void shouldWriteNumbersAsEcmaScriptDoes(String input, String expected) throws Exception {
    assertThat(canonical("[" + input + "]")).isEqualTo("[" + expected + "]");
  }
}
