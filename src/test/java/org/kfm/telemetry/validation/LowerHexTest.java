package org.kfm.telemetry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class LowerHexTest {

  @Test
  void acceptsOnlyLowerCaseHexDigits() {
    assertThat(LowerHex.isRange("0123456789abcdef", 0, 16)).isTrue();
    assertThat(LowerHex.isRange("sha256:00ff", 7, 11)).isTrue();
    assertThat(LowerHex.isRange("", 0, 0)).isTrue();
    for (String bad : new String[] {"A", "F", "g", "/", ":", "`", " ", "-"}) {
      assertThat(LowerHex.isRange(bad, 0, 1)).as(bad).isFalse();
    }
  }

  @Test
  void charactersBeyondAsciiAreNotDigitsWhateverTheirLowBits() {
    // U+00B0 and U+0130 share their low seven bits with '0'; U+00E1 with 'a'; U+FF41 is a
    // full-width 'a'
    for (char c : new char[] {'\u00b0', '\u0130', '\u00e1', '\uff41', '\u0660'}) {
      assertThat(LowerHex.isRange("ab" + c + "cd", 0, 5)).as("U+%04X", (int) c).isFalse();
    }
  }

  @Test
  void sha256DigestIsThePrefixAndExactly64Digits() {
    String hex = "0123456789abcdef".repeat(4);
    assertThat(LowerHex.isSha256Digest("sha256:" + hex)).isTrue();
    assertThat(LowerHex.isSha256Digest("sha256:" + hex.substring(1))).isFalse();
    assertThat(LowerHex.isSha256Digest("sha256:" + hex + "0")).isFalse();
    assertThat(LowerHex.isSha256Digest("sha256:" + hex.toUpperCase())).isFalse();
    assertThat(LowerHex.isSha256Digest("sha512:" + hex)).isFalse();
    assertThat(LowerHex.isSha256Digest(hex + "1234567")).isFalse();
  }

  @Property(tries = 2000)
  void decidesAsTheRangeTest(@ForAll char c) {
    boolean expected = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    assertThat(LowerHex.isRange(String.valueOf(c), 0, 1)).isEqualTo(expected);
  }
}
