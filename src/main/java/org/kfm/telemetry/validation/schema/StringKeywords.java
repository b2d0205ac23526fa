package org.kfm.telemetry.validation.schema;

import static org.kfm.telemetry.validation.schema.SchemaNode.Keyword.fail;

import com.fasterxml.jackson.databind.node.TextNode;
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
          Pattern regex = Pattern.compile(ecmaToJava(site.arg().textValue()));
          String source = site.arg().textValue();
          return (v, p, e) ->
              !(v instanceof TextNode text)
                  || find(regex, text.textValue())
                  || e != null
                      && fail(
                          e, p.pointer(), keyword, here, "does not match the pattern " + source);
        }
      default:
        throw new IllegalArgumentException("not a string keyword: " + keyword);
    }
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
