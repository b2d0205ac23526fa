package org.kfm.telemetry.validation;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kfm.telemetry.validation.TextScanner.Hit;
import org.kfm.telemetry.validation.TextScanner.Type;

/**
 * The shapes of personal data in free text, e-mail addresses, phone numbers and US social security
 * numbers: each method returns the match at a given index of the text, or null when there is none.
 */
final class PersonalDataShapes {

  /**
   * Extensions of files that show up after an '@' in asset names (sprite@2x.png) and are no
   * top-level domain.
   */
  private static final Set<String> FILE_EXTENSIONS =
      Set.of(
          "json",
          "geojson",
          "ndjson",
          "png",
          "jpg",
          "jpeg",
          "gif",
          "svg",
          "webp",
          "js",
          "css",
          "html",
          "htm",
          "xml",
          "csv",
          "tif",
          "tiff",
          "pbf",
          "mvt",
          "yaml",
          "yml",
          "txt",
          "pdf",
          "parquet",
          "avro",
          "wasm",
          "map",
          "avif",
          "ico",
          "gz",
          "tgz",
          "tar",
          "zip",
          "onnx",
          "bin",
          "pt",
          "pth",
          "h5",
          "pkl",
          "safetensors",
          "gguf",
          "mp4",
          "webm",
          "woff",
          "woff2",
          "ttf");

  private static final Pattern PHONE_E164 =
      Pattern.compile("\\+[1-9][0-9]{0,3}(?:[ .\\u00A0-]?\\(?[0-9]{1,4}\\)?){1,5}(?![0-9A-Za-z])");

  /**
   * North American numbers written as phone numbers: {@code (785) 555-0123}, {@code 785-555-0123},
   * {@code 785.555.0123}; not space-separated groups, which are far more often lists of sizes.
   */
  private static final Pattern PHONE_NANP =
      Pattern.compile(
          "(?:\\([2-9][0-9]{2}\\)[ \\u00A0]?[2-9][0-9]{2}[ .\\u00A0-]|[2-9][0-9]{2}-[2-9][0-9]{2}-|[2-9][0-9]{2}\\.[2-9][0-9]{2}\\.)[0-9]{4}"
              + "(?![0-9A-Za-z]|[ .-][0-9])");

  /** Characters a phone number cannot directly follow: digits belong to ids, paths and versions. */
  private static final boolean[] NUMBER_JOINERS = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      NUMBER_JOINERS[c] = isAsciiLetter(c) || isDigit(c) || "_+/=-.:".indexOf(c) >= 0;
    }
  }

  private PersonalDataShapes() {}

  /** Whether {@code c} joins a number written after it, so that no phone number can start there. */
  static boolean joinsNumber(char c) {
    return c < 128 && NUMBER_JOINERS[c];
  }

  /** An e-mail address around the {@code @} at {@code at}. */
  static Hit email(String text, int at) {
    int start = at;
    while (start > 0 && at - start <= 64 && isLocalPartChar(text.charAt(start - 1))) {
      start--;
    }
    if (start == at) {
      return null;
    }
    int end = domainEnd(text, at + 1);
    if (end < 0) {
      return null;
    }
    String local = text.substring(start, at);
    // "git@github.com:org/repo" and "ssh://git@host/..." are repository remotes, not somebody's
    // address.
    if ((local.equals("git") || local.equals("hg"))
        && ((end < text.length() && text.charAt(end) == ':')
            || (start >= 3 && text.startsWith("://", start - 3)))) {
      return null;
    }
    return new Hit(Type.EMAIL, start, end);
  }

  /** An international number at the {@code +} at {@code i}: {@code +1 785 555 0123}. */
  static Hit internationalPhone(String text, int i, int n) {
    return i + 1 < n && isDigit(text.charAt(i + 1)) && numberBoundaryBefore(text, i)
        ? phone(text, i, PHONE_E164)
        : null;
  }

  /** A North American number with its area code in brackets at the {@code (} at {@code i}. */
  static Hit bracketedPhone(String text, int i, int n) {
    return i + 4 < n && text.charAt(i + 4) == ')' ? phone(text, i, PHONE_NANP) : null;
  }

  /**
   * A North American number starting with the digit at {@code i}: {@code 785-555-0123}, {@code
   * 785.555.0123}.
   */
  static Hit northAmericanPhone(String text, int i, int n) {
    if (isDigit(text.charAt(i))
        && n - i >= 12
        && isPhoneSeparator(text.charAt(i + 3))
        && isDigit(text.charAt(i + 1))
        && isDigit(text.charAt(i + 2))
        && numberBoundaryBefore(text, i)) {
      return phone(text, i, PHONE_NANP);
    }
    return null;
  }

  /**
   * A US social security number starting with the digit at {@code i}: {@code 123-45-6789}, three,
   * two and four digits joined by hyphens, on its own (not inside a longer run of digits, hyphens
   * or dots), and not in a range the Social Security Administration never issues: area 000, 666 or
   * 900-999, group 00, serial 0000.
   */
  static Hit socialSecurityNumber(String text, int i, int n) {
    int end = i + 11;
    if (end > n
        || text.charAt(i + 3) != '-'
        || text.charAt(i + 6) != '-'
        || !digits(text, i, 3)
        || !digits(text, i + 4, 2)
        || !digits(text, i + 7, 4)
        || !numberBoundaryBefore(text, i)
        || (end < n && (joinsNumber(text.charAt(end)) && !isSentencePunctuation(text, end)))) {
      return null;
    }
    int area = Integer.parseInt(text, i, i + 3, 10);
    boolean issued =
        area != 0
            && area != 666
            && area < 900
            && !text.startsWith("00", i + 4)
            && !text.startsWith("0000", i + 7);
    return issued ? new Hit(Type.SSN, i, end) : null;
  }

  /** A '.' or ':' that ends a sentence or clause (followed by the end or a space), not a number. */
  private static boolean isSentencePunctuation(String text, int at) {
    char c = text.charAt(at);
    return (c == '.' || c == ':')
        && (at + 1 == text.length() || Character.isWhitespace(text.charAt(at + 1)));
  }

  private static boolean digits(String text, int from, int count) {
    for (int k = from; k < from + count; k++) {
      if (!isDigit(text.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The end of a domain name starting at {@code from}: dot-separated labels of letters, digits and
   * inner hyphens, the last one 2..24 letters and not a file extension; -1 when there is none.
   */
  private static int domainEnd(String text, int from) {
    int n = Math.min(text.length(), from + 253);
    int i = from;
    int labels = 0;
    int lastLabelStart = -1;
    boolean lastAllLetters = false;
    while (i < n) {
      int labelStart = i;
      boolean letters = true;
      while (i < n
          && (isLabelLetter(text.charAt(i)) || isDigit(text.charAt(i)) || text.charAt(i) == '-')) {
        letters &= isLabelLetter(text.charAt(i));
        i++;
      }
      int length = i - labelStart;
      if (length == 0
          || length > 63
          || text.charAt(labelStart) == '-'
          || text.charAt(i - 1) == '-') {
        break;
      }
      labels++;
      lastLabelStart = labelStart;
      lastAllLetters = letters;
      if (i + 1 < n
          && text.charAt(i) == '.'
          && (isLabelLetter(text.charAt(i + 1)) || isDigit(text.charAt(i + 1)))) {
        i++;
      } else {
        break;
      }
    }
    if (labels < 2 || !lastAllLetters) {
      return -1;
    }
    int end = lastLabelStart;
    while (end < text.length()
        && (isLabelLetter(text.charAt(end))
            || isDigit(text.charAt(end))
            || text.charAt(end) == '-')) {
      end++;
    }
    String tld = text.substring(lastLabelStart, end);
    if (tld.length() < 2
        || tld.length() > 24
        || FILE_EXTENSIONS.contains(tld.toLowerCase(Locale.ROOT))) {
      return -1;
    }
    return end;
  }

  private static Hit phone(String text, int at, Pattern pattern) {
    Matcher m = pattern.matcher(text).region(at, text.length());
    if (!m.lookingAt()) {
      return null;
    }
    int digits = 0;
    for (int i = at; i < m.end(); i++) {
      if (Character.isDigit(text.charAt(i))) {
        digits++;
      }
    }
    return digits >= 10 && digits <= 15 ? new Hit(Type.PHONE, at, m.end()) : null;
  }

  /** Whether a phone number may start at {@code at}. */
  private static boolean numberBoundaryBefore(String text, int at) {
    return at == 0 || !joinsNumber(text.charAt(at - 1));
  }

  private static boolean isLocalPartChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '%'
        || c == '+'
        || c == '-'
        || (c >= 128 && Character.isLetterOrDigit(c));
  }

  /** Letters of domain labels: ASCII and, for internationalised names, any Unicode letter. */
  private static boolean isLabelLetter(char c) {
    return isAsciiLetter(c) || (c >= 128 && Character.isLetter(c));
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isPhoneSeparator(char c) {
    return c == '.' || c == '-';
  }
}
