package org.kfm.telemetry.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Finds the telemetry payload in a record: the record itself (bare), the {@code data} member of a
 * CloudEvents 1.0 structured JSON event, or the record value of a CloudEvents binary-mode event
 * whose attributes travel in {@code ce_*} headers (Kafka protocol binding).
 */
public final class Envelopes {

  /** The CloudEvents spec version this service understands. */
  public static final String SPEC_VERSION = "1.0";

  private final BoundedJsonParser parser;

  public Envelopes(BoundedJsonParser parser) {
    this.parser = parser;
  }

  /**
   * The payload and its envelope, or the problems that make the envelope unusable.
   *
   * @param payload the payload object, null when the envelope is unusable
   * @param envelope envelope facts (never null)
   * @param problems envelope problems, each a pointer and a message
   * @param parseProblem set when a {@code data_base64} payload could not be parsed
   * @param decodedData the bytes of a {@code data_base64} payload, else null
   */
  public record Unwrapped(
      ObjectNode payload,
      Envelope envelope,
      List<Problem> problems,
      ParseProblem parseProblem,
      byte[] decodedData) {}

  /** One thing wrong with an envelope. */
  public record Problem(String pointer, String message) {}

  /** True when the headers mark a CloudEvents binary-mode record. */
  public static boolean isBinaryMode(Map<String, byte[]> headers) {
    return headers != null && headers.containsKey("ce_specversion");
  }

  /**
   * Unwraps a parsed record.
   *
   * @param root the parsed record value
   * @param headers record headers by name (last value wins); may be null or empty
   */
  public Unwrapped unwrap(ObjectNode root, Map<String, byte[]> headers) {
    if (isBinaryMode(headers)) {
      return binary(root, headers);
    }
    if (root.has("specversion")) {
      return structured(root);
    }
    return new Unwrapped(root, Envelope.BARE, List.of(), null, null);
  }

  private Unwrapped binary(ObjectNode root, Map<String, byte[]> headers) {
    List<Problem> problems = new ArrayList<>(0);
    String spec = header(headers, "ce_specversion");
    String id = header(headers, "ce_id");
    String source = header(headers, "ce_source");
    String type = header(headers, "ce_type");
    checkAttribute(problems, "header ce_specversion", spec, true);
    checkAttribute(problems, "header ce_id", id, false);
    checkAttribute(problems, "header ce_source", source, false);
    checkAttribute(problems, "header ce_type", type, false);
    String contentType = header(headers, "content-type");
    if (contentType != null && !isJson(contentType)) {
      problems.add(
          new Problem(
              "",
              "header content-type is \""
                  + contentType
                  + "\"; telemetry payloads must be application/json"));
    }
    String time = header(headers, "ce_time");
    checkTime(problems, "", "header ce_time", time);
    Envelope envelope =
        new Envelope(
            Envelope.Mode.CLOUDEVENTS_BINARY,
            spec,
            id,
            source,
            type,
            time,
            header(headers, "ce_subject"),
            "");
    return new Unwrapped(problems.isEmpty() ? root : null, envelope, problems, null, null);
  }

  private Unwrapped structured(ObjectNode root) {
    List<Problem> problems = new ArrayList<>(0);
    String spec = text(root, "specversion", problems, true);
    String id = text(root, "id", problems, false);
    String source = text(root, "source", problems, false);
    String type = text(root, "type", problems, false);
    String time = optionalText(root, "time", problems);
    checkTime(problems, "/time", "time", time);
    String subject = optionalText(root, "subject", problems);
    String contentType = optionalText(root, "datacontenttype", problems);
    if (contentType != null && !isJson(contentType)) {
      problems.add(
          new Problem(
              "/datacontenttype",
              "datacontenttype is \""
                  + contentType
                  + "\"; telemetry payloads must be application/json"));
    }
    JsonNode data = root.get("data");
    JsonNode dataBase64 = root.get("data_base64");
    ObjectNode payload = null;
    String payloadPointer = "/data";
    ParseProblem parseProblem = null;
    byte[] decoded = null;
    if (data != null && dataBase64 != null) {
      problems.add(
          new Problem("/data_base64", "a CloudEvent carries either data or data_base64, not both"));
    } else if (data != null) {
      if (data instanceof ObjectNode object) {
        payload = object;
      } else {
        problems.add(
            new Problem(
                "/data",
                "data must be the telemetry payload object, was "
                    + data.getNodeType().name().toLowerCase()));
      }
    } else if (dataBase64 != null) {
      payloadPointer = "/data_base64";
      decoded = decodeBase64(dataBase64);
      if (decoded == null) {
        problems.add(new Problem("/data_base64", "data_base64 must be a base64 string"));
      } else {
        ParsedJson parsed = parser.parse(decoded);
        if (parsed.isOk()) {
          payload = parsed.root();
        } else {
          parseProblem = parsed.problem();
        }
      }
    } else {
      problems.add(
          new Problem("/data", "CloudEvent has no data: the telemetry payload belongs under data"));
    }
    Envelope envelope =
        new Envelope(
            Envelope.Mode.CLOUDEVENTS_STRUCTURED,
            spec,
            id,
            source,
            type,
            time,
            subject,
            payloadPointer);
    return new Unwrapped(
        problems.isEmpty() ? payload : null, envelope, problems, parseProblem, decoded);
  }

  private static void checkTime(List<Problem> problems, String pointer, String name, String time) {
    if (time != null && !Rfc3339.parse(time).isOk()) {
      problems.add(new Problem(pointer, "CloudEvents " + name + " must be an RFC 3339 timestamp"));
    }
  }

  private static byte[] decodeBase64(JsonNode node) {
    if (!node.isTextual()) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(node.textValue());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean isJson(String contentType) {
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase();
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  private static String text(ObjectNode root, String name, List<Problem> problems, boolean isSpec) {
    JsonNode node = root.get(name);
    String value = node != null && node.isTextual() ? node.textValue() : null;
    checkAttribute(problems, "/" + name, value, isSpec);
    return value;
  }

  private static String optionalText(ObjectNode root, String name, List<Problem> problems) {
    JsonNode node = root.get(name);
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      problems.add(new Problem("/" + name, "CloudEvents attribute " + name + " must be a string"));
      return null;
    }
    return node.textValue();
  }

  private static void checkAttribute(
      List<Problem> problems, String where, String value, boolean isSpec) {
    String pointer = where.startsWith("/") ? where : "";
    String name = where.startsWith("/") ? where.substring(1) : where;
    if (value == null || value.isBlank()) {
      problems.add(
          new Problem(
              pointer,
              "CloudEvents attribute " + name + " is required and must be a non-empty string"));
    } else if (isSpec && !SPEC_VERSION.equals(value)) {
      problems.add(
          new Problem(
              pointer,
              "CloudEvents "
                  + name
                  + " is \""
                  + value
                  + "\"; only "
                  + SPEC_VERSION
                  + " is supported"));
    }
  }

  private static String header(Map<String, byte[]> headers, String name) {
    byte[] value = headers.get(name);
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }
}
