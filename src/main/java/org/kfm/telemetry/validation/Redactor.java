package org.kfm.telemetry.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kfm.telemetry.contract.Sha256;

/**
 * Makes a copy of a record that is safe to store after secrets were found in it: every secret is
 * replaced by {@code [REDACTED:sha256:<12 hex>]}, the first 12 hex digits of the SHA-256 of the
 * secret (enough to tell two leaks of the same secret apart, never the value). Everything else is
 * kept as it was. Secret-named fields ({@code password}, {@code api_key}, ...) lose their whole
 * value; inside free text (and object keys) only the secret itself is replaced; a CloudEvent's
 * {@code data_base64} is decoded, redacted and encoded again.
 */
public final class Redactor {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String MARKER_PREFIX = "[REDACTED:sha256:";

  private Redactor() {}

  /** The marker that stands in for {@code secret}. */
  public static String marker(String secret) {
    return MARKER_PREFIX + Sha256.hexPrefix(secret, 6) + "]";
  }

  /**
   * The redacted bytes of a record the validator judged. A parsed record is redacted member by
   * member and written back as compact JSON; an unparseable one is redacted as text.
   */
  public static byte[] redact(Verdict verdict, byte[] original) {
    if (verdict.record() == null) {
      return redactUnparsed(new String(original, StandardCharsets.UTF_8))
          .getBytes(StandardCharsets.UTF_8);
    }
    ObjectNode copy = verdict.record().deepCopy();
    redactObject(copy);
    JsonNode dataBase64 = copy.get("data_base64");
    if (dataBase64 != null && dataBase64.isTextual()) {
      copy.put("data_base64", redactBase64(dataBase64.textValue()));
    }
    try {
      return MAPPER.writeValueAsBytes(copy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a Jackson tree could not be written as JSON", e);
    }
  }

  /** {@code text} with every secret the scanner recognises by its shape replaced by its marker. */
  public static String redactText(String text) {
    return untilClean(text, false);
  }

  /**
   * {@code text} (not valid JSON, or a message quoting such text) with every secret replaced,
   * including the values of secret-named members such as {@code "password": "..."}.
   */
  public static String redactUnparsed(String text) {
    return untilClean(text, true);
  }

  /** How many times text is scanned again after a replacement, at most. */
  private static final int MAX_PASSES = 8;

  /**
   * Replaces what the scanner finds until it finds nothing more: in text that is not JSON, which
   * quotes pair up (and so which values belong to secret-named members) can change once a value is
   * replaced, so one pass may leave a secret the next scan would find (a fuzzer's finding). The
   * markers are placeholders, never found again; text still not clean after {@link #MAX_PASSES}
   * passes is replaced whole by one marker.
   */
  private static String untilClean(String text, boolean unparsed) {
    String current = text;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      List<TextScanner.Hit> hits =
          unparsed ? TextScanner.scanUnparsed(current) : TextScanner.scan(current);
      if (hits.stream().noneMatch(h -> h.type().isSecret())) {
        return current;
      }
      current = replace(current, hits);
    }
    // Still not clean: garbage in which each replacement makes the next value (a fuzzer's finding).
    // Nothing of it is kept rather than a secret.
    return marker(text);
  }

  private static String replace(String text, List<TextScanner.Hit> hits) {
    if (hits.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    for (TextScanner.Hit hit : hits) {
      if (!hit.type().isSecret() || hit.start() < from) {
        continue;
      }
      String secret = text.substring(hit.start(), hit.end());
      boolean quoted = secret.length() >= 2 && secret.startsWith("\"") && secret.endsWith("\"");
      out.append(text, from, hit.start())
          .append(
              quoted
                  ? "\"" + marker(secret.substring(1, secret.length() - 1)) + "\""
                  : marker(secret));
      from = hit.end();
    }
    return out.append(text, from, text.length()).toString();
  }

  private static String redactBase64(String base64) {
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return redactText(base64);
    }
    String text = new String(decoded, StandardCharsets.UTF_8);
    String redacted;
    try {
      JsonNode tree = MAPPER.readTree(decoded);
      redacted =
          tree instanceof ObjectNode object
              ? MAPPER.writeValueAsString(redactObject(object))
              : redactUnparsed(text);
    } catch (java.io.IOException e) {
      redacted = redactUnparsed(text);
    }
    return Base64.getEncoder().encodeToString(redacted.getBytes(StandardCharsets.UTF_8));
  }

  private static final int SECRET_TRAITS = KeyTraits.SECRET | KeyTraits.PASSWORD;

  private static ObjectNode redactObject(ObjectNode object) {
    return redactObject(object, 0);
  }

  private static ObjectNode redactObject(ObjectNode object, int inherited) {
    List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
    object.properties().forEach(members::add);
    boolean renamed = false;
    Map<String, JsonNode> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> member : members) {
      String key = member.getKey();
      String safeKey = redactText(key);
      renamed |= !safeKey.equals(key);
      result.put(
          safeKey, redactValue(member.getValue(), KeyTraits.of(key) | (inherited & SECRET_TRAITS)));
    }
    if (renamed) {
      object.removeAll();
    }
    object.setAll(result);
    return object;
  }

  private static JsonNode redactValue(JsonNode value, int traits) {
    if (value.isObject()) {
      return redactObject((ObjectNode) value, traits);
    }
    if (value.isArray()) {
      ArrayNode array = (ArrayNode) value;
      for (int i = 0; i < array.size(); i++) {
        array.set(i, redactValue(array.get(i), traits));
      }
      return array;
    }
    if (value.isTextual()) {
      String text = value.textValue();
      if (KeyTraits.has(traits, KeyTraits.SECRET) && !TextScanner.isPlaceholder(text)) {
        return TextNode.valueOf(marker(text));
      }
      String redacted = redactText(text);
      return redacted.equals(text) ? value : TextNode.valueOf(redacted);
    }
    if (value.isNumber() && KeyTraits.has(traits, KeyTraits.PASSWORD)) {
      return TextNode.valueOf(marker(value.asText()));
    }
    return value;
  }
}
