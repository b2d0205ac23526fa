package org.kfm.telemetry.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;

/**
 * Parses one record's bytes into a Jackson tree under strict rules: well-formed UTF-8 without a
 * byte order mark, exactly one JSON object, no duplicate keys, no unpaired surrogate escapes,
 * finite numbers, and the size, depth and length bounds of {@link Limits}. Never throws on bad
 * input; thread-safe.
 */
public final class BoundedJsonParser {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Limits limits;
  private final JsonFactory factory;

  public BoundedJsonParser(Limits limits) {
    this.limits = limits;
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxDepth())
                    .maxStringLength(limits.maxStringLength())
                    .maxNameLength(limits.maxNameLength())
                    .maxNumberLength(limits.maxNumberLength())
                    .maxDocumentLength(limits.maxRecordBytes())
                    .build())
            .build();
  }

  public Limits limits() {
    return limits;
  }

  /** Parses {@code bytes} (the whole array) as one JSON object. */
  public ParsedJson parse(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return ParsedJson.failed(
          ParseProblem.Kind.SYNTAX, "", "empty record: expected one JSON object");
    }
    if (bytes.length > limits.maxRecordBytes()) {
      return ParsedJson.failed(
          ParseProblem.Kind.TOO_LARGE,
          "",
          "record is "
              + bytes.length
              + " bytes, more than the limit of "
              + limits.maxRecordBytes());
    }
    long inspected = Utf8.inspect(bytes);
    int bad = (int) (inspected & 0xFFFFFFFFL) - 1;
    if (bad >= 0) {
      return ParsedJson.failed(
          ParseProblem.Kind.INVALID_UTF8,
          "",
          "not valid UTF-8: ill-formed byte sequence at byte offset " + bad);
    }
    if (bytes.length >= 3
        && (bytes[0] & 0xFF) == 0xEF
        && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF) {
      return ParsedJson.failed(
          ParseProblem.Kind.INVALID_UTF8,
          "",
          "record starts with a UTF-8 byte order mark, which JSON texts must not carry");
    }
    if ((inspected & Utf8.HAS_NUL) != 0) {
      return ParsedJson.failed(
          ParseProblem.Kind.SYNTAX,
          "",
          "record holds a NUL byte: JSON text must be UTF-8"
              + " (UTF-16 and UTF-32 are not accepted) and control characters in strings must be escaped");
    }
    JsonPath path = new JsonPath();
    boolean surrogateEscapes =
        (inspected & Utf8.HAS_BACKSLASH) != 0 && mayHoldSurrogateEscape(bytes);
    try (JsonParser parser = factory.createParser(bytes)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return ParsedJson.failed(
            ParseProblem.Kind.SYNTAX, "", "empty record: expected one JSON object");
      }
      if (first != JsonToken.START_OBJECT) {
        return ParsedJson.failed(
            ParseProblem.Kind.NOT_AN_OBJECT,
            "",
            "top-level value is " + describe(first) + ", expected a JSON object");
      }
      TreeReader reader = new TreeReader(parser, path, surrogateEscapes);
      ObjectNode root =
          new ObjectNode(NODES, new LinkedHashMap<>(32)); // payloads have 10-20 members
      if (!reader.readObject(root)) {
        return reader.problem;
      }
      if (parser.nextToken() != null) {
        return ParsedJson.failed(
            ParseProblem.Kind.SYNTAX,
            "",
            "unexpected content after the JSON object" + at(parser.currentLocation()));
      }
      return ParsedJson.ok(root);
    } catch (StreamConstraintsException e) {
      return constraintViolation(e, path);
    } catch (JsonProcessingException e) {
      if (surrogateEscapes
          && String.valueOf(e.getOriginalMessage())
              .toLowerCase(java.util.Locale.ROOT)
              .contains("surrogate")) {
        return ParsedJson.failed(
            ParseProblem.Kind.INVALID_UTF8,
            path.pointer(),
            "a key holds an unpaired UTF-16 surrogate escape, which is not a Unicode character");
      }
      return ParsedJson.failed(
          ParseProblem.Kind.SYNTAX,
          path.pointer(),
          "malformed JSON: " + withoutSource(e.getOriginalMessage()) + at(e.getLocation()));
    } catch (IOException | IllegalStateException e) {
      // IllegalStateException: Jackson's symbol table refuses inputs built to collide hashes.
      return ParsedJson.failed(
          ParseProblem.Kind.SYNTAX, path.pointer(), "malformed JSON: " + e.getMessage());
    }
  }

  private ParsedJson constraintViolation(StreamConstraintsException e, JsonPath path) {
    String text = String.valueOf(e.getOriginalMessage());
    if (text.contains("nesting depth")) {
      return ParsedJson.failed(
          ParseProblem.Kind.TOO_DEEP,
          path.pointer(),
          "nested deeper than the limit of " + limits.maxDepth() + " levels");
    }
    if (text.startsWith("Document length")) {
      return ParsedJson.failed(
          ParseProblem.Kind.TOO_LARGE,
          "",
          "record is longer than the limit of " + limits.maxRecordBytes() + " bytes");
    }
    String what;
    if (text.startsWith("Name length")) {
      what = "key longer than the limit of " + limits.maxNameLength() + " chars";
    } else if (text.startsWith("Number value length")) {
      what = "number longer than the limit of " + limits.maxNumberLength() + " digits";
    } else {
      what = "string longer than the limit of " + limits.maxStringLength() + " chars";
    }
    return ParsedJson.failed(ParseProblem.Kind.TOO_LONG, path.pointer(), what);
  }

  /** True when the raw bytes contain a {@code \\u} escape naming a UTF-16 surrogate. */
  private static boolean mayHoldSurrogateEscape(byte[] bytes) {
    for (int i = 0; i + 5 < bytes.length; i++) {
      if (bytes[i] == '\\' && bytes[i + 1] == 'u' && (bytes[i + 2] | 0x20) == 'd') {
        int c = bytes[i + 3] | 0x20;
        if (c == '8' || c == '9' || (c >= 'a' && c <= 'f')) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(JsonToken token) {
    switch (token) {
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return token.asString() == null ? token.name() : token.asString();
    }
  }

  private static final java.util.regex.Pattern SOURCE =
      java.util.regex.Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)]");

  /**
   * Jackson names locations "[Source: REDACTED ...; line: 1, column: 5]"; say just "line 1, column
   * 5".
   */
  private static String withoutSource(String message) {
    return message == null
        ? "unreadable input"
        : SOURCE.matcher(message).replaceAll("line $1, column $2");
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  /** Builds the tree of one record; holds the state of a single parse (not shared). */
  private static final class TreeReader {
    private final JsonParser parser;
    private final JsonPath path;
    private final boolean checkSurrogates;
    private ParsedJson problem;

    TreeReader(JsonParser parser, JsonPath path, boolean checkSurrogates) {
      this.parser = parser;
      this.path = path;
      this.checkSurrogates = checkSurrogates;
    }

    boolean readObject(ObjectNode target) throws IOException {
      String key;
      while ((key = parser.nextFieldName()) != null) {
        path.push(key);
        if (checkSurrogates && hasUnpairedSurrogate(key)) {
          return fail(unpairedSurrogate());
        }
        JsonNode value = readValue(parser.nextToken());
        if (value == null) {
          return false;
        }
        if (target.replace(key, value) != null) {
          return fail(
              ParsedJson.failed(
                  ParseProblem.Kind.DUPLICATE_KEY,
                  path.pointer(),
                  "duplicate key \"" + key + "\"" + at(parser.currentLocation())));
        }
        path.pop();
      }
      return true;
    }

    private JsonNode readValue(JsonToken token) throws IOException {
      switch (token) {
        case START_OBJECT:
          {
            ObjectNode object = NODES.objectNode();
            return readObject(object) ? object : null;
          }
        case START_ARRAY:
          {
            ArrayNode array = NODES.arrayNode();
            int index = 0;
            JsonToken next;
            while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
              path.push(index++);
              JsonNode element = readValue(next);
              if (element == null) {
                return null;
              }
              array.add(element);
              path.pop();
            }
            return array;
          }
        case VALUE_STRING:
          {
            String text = parser.getText();
            if (checkSurrogates && hasUnpairedSurrogate(text)) {
              fail(unpairedSurrogate());
              return null;
            }
            return NODES.textNode(text);
          }
        case VALUE_NUMBER_INT:
          switch (parser.getNumberType()) {
            case INT:
              return NODES.numberNode(parser.getIntValue());
            case LONG:
              return NODES.numberNode(parser.getLongValue());
            default:
              return NODES.numberNode(parser.getBigIntegerValue());
          }
        case VALUE_NUMBER_FLOAT:
          {
            double value = parser.getDoubleValue();
            if (Double.isInfinite(value)) {
              fail(
                  ParsedJson.failed(
                      ParseProblem.Kind.SYNTAX,
                      path.pointer(),
                      "number is outside the range of a 64-bit IEEE 754 double"
                          + at(parser.currentLocation())));
              return null;
            }
            return NODES.numberNode(value);
          }
        case VALUE_TRUE:
          return NODES.booleanNode(true);
        case VALUE_FALSE:
          return NODES.booleanNode(false);
        case VALUE_NULL:
          return NODES.nullNode();
        default:
          throw new IllegalStateException("unexpected token " + token);
      }
    }

    private ParsedJson unpairedSurrogate() {
      return ParsedJson.failed(
          ParseProblem.Kind.INVALID_UTF8,
          path.pointer(),
          "string holds an unpaired UTF-16 surrogate escape, which is not a Unicode character");
    }

    private boolean fail(ParsedJson failure) {
      problem = failure;
      return false;
    }
  }
}
