package org.kfm.telemetry.validation.schema;

import static org.kfm.telemetry.validation.schema.SchemaNode.Keyword.fail;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keywords of strings: {@code minLength}, {@code maxLength} (in code points) and {@code
 * pattern} (ECMA-262).
 */
final class StringKeywords {

  private StringKeywords() {}

  static SchemaNode.Keyword compile(KeywordSite site) {
    String keyword = site.keyword();
    String here = site.here();
    switch (keyword) {
      case "minLength":
        {
          int min = site.arg().intValue();
          return (v, p, e) ->
              !(v instanceof TextNode text)
                  || codePoints(text.textValue()) >= min
                  || e != null
                      && fail(
                          e,
                          p.pointer(),
                          keyword,
                          here,
                          "must be at least " + min + " characters long");
        }
      case "maxLength":
        {
          int max = site.arg().intValue();
          return (v, p, e) ->
              !(v instanceof TextNode text)
                  || codePoints(text.textValue()) <= max
                  || e != null
                      && fail(
                          e,
                          p.pointer(),
                          keyword,
                          here,
                          "must be at most " + max + " characters long");
        }
      case "pattern":
        {
          String source = site.arg().textValue();
          Predicate<String> matches = matcher(source);
          return (v, p, e) ->
              !(v instanceof TextNode text)
                  || matches.test(text.textValue())
                  || e != null
                      && fail(
                          e, p.pointer(), keyword, here, "does not match the pattern " + source);
        }
      default:
        throw new IllegalArgumentException("not a string keyword: " + keyword);
    }
  }

  /**
   * One character class repeated over the whole string, {@code ^[...]+$}, {@code ^[...]{m,n}$} and
   * the like: the contract's ids, digests and printable-text patterns.
   */
  private static final Pattern CLASS_RUN =
      Pattern.compile("\\^(\\[(?:\\\\.|[^\\\\\\]])+])(?:(\\+)|(\\*)|\\{(\\d+)(,(\\d*))?})\\$");

  /**
   * What decides {@code pattern}: the regular expression, or for a class run ({@link #CLASS_RUN}) a
   * table of the ASCII characters in the class, decided once by the same regular expression engine,
   * and the length bounds. A string with a character beyond ASCII goes to the regular expression,
   * which alone knows the class there (and counts code points, not chars).
   */
  static Predicate<String> matcher(String source) {
    Pattern regex = Pattern.compile(ecmaToJava(source));
    Matcher run = CLASS_RUN.matcher(source);
    if (!run.matches()) {
      return text -> find(regex, text);
    }
    Pattern oneChar = Pattern.compile(run.group(1));
    boolean[] inClass = new boolean[128];
    for (char c = 0; c < 128; c++) {
      inClass[c] = oneChar.matcher(String.valueOf(c)).matches();
    }
    int min;
    int max;
    if (run.group(2) != null) {
      min = 1;
      max = Integer.MAX_VALUE;
    } else if (run.group(3) != null) {
      min = 0;
      max = Integer.MAX_VALUE;
    } else {
      min = Integer.parseInt(run.group(4));
      max =
          run.group(5) == null
              ? min
              : run.group(6).isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(run.group(6));
    }
    return text -> {
      int n = text.length();
      for (int i = 0; i < n; i++) {
        char c = text.charAt(i);
        if (c >= 128) {
          return find(regex, text);
        }
        if (!inClass[c]) {
          return false; // every character must be in the class, wherever the others are
        }
      }
      return n >= min && n <= max;
    };
  }

  /**
   * java.util.regex recurses on repeated groups; an input deep enough to overflow the stack does
   * not match.
   */
  private static boolean find(Pattern regex, String text) {
    try {
      return regex.matcher(text).find();
    } catch (StackOverflowError e) {
      return false;
    }
  }

  private static int codePoints(String s) {
    return s.codePointCount(0, s.length());
  }

  /**
   * ECMA-262 patterns as java.util.regex: {@code $} means end of input (not "before a final line
   * terminator" as in Java), so an unescaped trailing {@code $} becomes {@code \z}.
   */
  static String ecmaToJava(String pattern) {
    if (pattern.endsWith("$") && !pattern.endsWith("\\$")) {
      return pattern.substring(0, pattern.length() - 1) + "\\z";
    }
    return pattern;
  }
}
