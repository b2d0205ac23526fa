package org.kfm.telemetry.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Makes a copy of a record that is safe to store after secrets were found in it: every secret is
 * replaced by {@code [REDACTED:sha256:<12 hex>]}, the first 12 hex digits of the SHA-256 of the
 * secret (enough to tell two leaks of the same secret apart, never the value). Everything else is
 * kept as it was. Secret-named fields ({@code password}, {@code api_key}, ...) lose their whole value;
 * inside free text only the secret itself is replaced.
 */
public final class Redactor {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String MARKER_PREFIX = "[REDACTED:sha256:";

  private Redactor() {
  }

  /** The marker that stands in for {@code secret}. */
  public static String marker(String secret) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return MARKER_PREFIX + HexFormat.of().formatHex(hash, 0, 6) + "]";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * The redacted bytes of a record the validator judged. A parsed record is redacted member by
   * member and written back as compact JSON; an unparseable one is redacted as text.
   */
  public static byte[] redact(Verdict verdict, byte[] original) {
    if (verdict.record() == null) {
      return redactText(new String(original, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }
    ObjectNode copy = verdict.record().deepCopy();
    redactObject(copy);
    try {
      return MAPPER.writeValueAsBytes(copy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a Jackson tree could not be written as JSON", e);
    }
  }

  /** {@code text} with every secret the scanner finds replaced by its marker. */
  public static String redactText(String text) {
    List<TextScanner.Hit> hits = TextScanner.scan(text);
    if (hits.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    for (TextScanner.Hit hit : hits) {
      if (!hit.type().isSecret()) {
        continue;
      }
      out.append(text, from, hit.start()).append(marker(text.substring(hit.start(), hit.end())));
      from = hit.end();
    }
    return out.append(text, from, text.length()).toString();
  }

  private static void redactObject(ObjectNode object) {
    Iterator<Map.Entry<String, JsonNode>> members = object.fields();
    while (members.hasNext()) {
      Map.Entry<String, JsonNode> member = members.next();
      int traits = KeyTraits.of(member.getKey());
      JsonNode value = member.getValue();
      JsonNode replacement = redactValue(value, traits);
      if (replacement != value) {
        member.setValue(replacement);
      }
    }
  }

  private static JsonNode redactValue(JsonNode value, int traits) {
    if (value.isObject()) {
      redactObject((ObjectNode) value);
      return value;
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
      String redacted = redactText(text);
      if (redacted.equals(text) && KeyTraits.has(traits, KeyTraits.SECRET)
          && !org.kfm.telemetry.validation.rules.SensitiveTextRule.isPlaceholder(text)) {
        return TextNode.valueOf(marker(text));
      }
      return redacted.equals(text) ? value : TextNode.valueOf(redacted);
    }
    if (value.isNumber() && KeyTraits.has(traits, KeyTraits.PASSWORD)) {
      return TextNode.valueOf(marker(value.asText()));
    }
    return value;
  }
}
