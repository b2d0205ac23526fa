package org.kfm.telemetry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;

/**
 * A parsed payload and the facts several rules need, read once: kind, classification, whether PII
 * was declared, and the instant of validation.
 */
public final class Payload {

  private final ObjectNode root;
  private final String kind;
  private final String classification;
  private final boolean containsPii;
  private final boolean restricted;
  private final Instant now;
  private final ValidatorOptions options;

  Payload(ObjectNode root, Instant now, ValidatorOptions options) {
    this.root = root;
    this.now = now;
    this.options = options;
    this.kind = textOf(root.get("kind"));
    JsonNode privacy = root.get("privacy");
    String c = privacy == null ? null : textOf(privacy.get("classification"));
    this.classification = isClassification(c) ? c : null;
    this.restricted = "restricted".equals(classification) || "sensitive".equals(classification);
    this.containsPii =
        privacy != null
            && privacy.path("contains_pii").asBoolean(false)
            && privacy.get("contains_pii").isBoolean();
  }

  /**
   * One of the four classification levels (compared, not hashed: the value is new in every record).
   */
  public static boolean isClassification(String c) {
    return c != null
        && (c.equals("public")
            || c.equals("internal")
            || c.equals("restricted")
            || c.equals("sensitive"));
  }

  public ObjectNode root() {
    return root;
  }

  /** The raw {@code kind} string, or null when absent or not a string. */
  public String kind() {
    return kind;
  }

  /** A valid classification, or null when missing or not one of the four levels. */
  public String classification() {
    return classification;
  }

  public boolean containsPii() {
    return containsPii;
  }

  public Instant now() {
    return now;
  }

  public ValidatorOptions options() {
    return options;
  }

  /** Restricted and sensitive events are held to the strictest privacy and location rules. */
  public boolean isRestricted() {
    return restricted;
  }

  /** The member {@code name} of the object {@code block}, or null. */
  public JsonNode at(String block, String name) {
    JsonNode b = root.get(block);
    return b instanceof ObjectNode object ? object.get(name) : null;
  }

  /** The string at {@code block.name}, or null when absent or not a string. */
  public String textAt(String block, String name) {
    return textOf(at(block, name));
  }

  public static String textOf(JsonNode node) {
    return node instanceof TextNode text ? text.textValue() : null;
  }
}
