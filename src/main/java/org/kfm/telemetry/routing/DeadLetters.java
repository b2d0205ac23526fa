package org.kfm.telemetry.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.kfm.telemetry.validation.Finding;
import org.kfm.telemetry.validation.Redactor;
import org.kfm.telemetry.validation.Verdict;

/**
 * Builds the headers of dead-letter records: the source record's own headers (so a fixed record can
 * be replayed as it was sent, CloudEvents binary attributes included), Kafka Streams' KIP-1034
 * error headers, and the contract's answer under {@code kfm.*} (see {@link DeadLetterHeaders}).
 */
public final class DeadLetters {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DeadLetters() {}

  /** Where a record came from. */
  public record Source(String topic, int partition, long offset, long timestamp) {}

  /** Headers for a record the contract rejected. */
  public static Headers forVerdict(
      Headers original,
      Verdict verdict,
      Source source,
      String serviceVersion,
      String contractVersion) {
    RecordHeaders headers = copyOf(original);
    List<String> rules = verdict.errorRules();
    String first = verdict.errors().isEmpty() ? "" : ": " + verdict.errors().get(0).message();
    put(headers, DeadLetterHeaders.EXCEPTION, DeadLetterHeaders.CONTRACT_VIOLATION);
    put(
        headers,
        DeadLetterHeaders.MESSAGE,
        "rejected by telemetry contract v2 (" + String.join(", ", rules) + ")" + first);
    putSource(headers, source);
    put(headers, DeadLetterHeaders.RULES, String.join(",", rules));
    put(headers, DeadLetterHeaders.FINDINGS_JSON, findingsJson(verdict.errors()));
    put(headers, DeadLetterHeaders.REDACTED, Boolean.toString(verdict.secretFound()));
    put(headers, DeadLetterHeaders.SERVICE_VERSION, serviceVersion);
    put(headers, DeadLetterHeaders.CONTRACT_VERSION, contractVersion);
    return headers;
  }

  /** Headers for a record whose processing failed unexpectedly. */
  public static Headers forException(
      Headers original, Throwable error, Source source, boolean redacted, String serviceVersion) {
    RecordHeaders headers = copyOf(original);
    put(headers, DeadLetterHeaders.EXCEPTION, error.getClass().getName());
    put(
        headers,
        DeadLetterHeaders.MESSAGE,
        Redactor.redactUnparsed(String.valueOf(error.getMessage())));
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    put(headers, DeadLetterHeaders.STACKTRACE, Redactor.redactUnparsed(trace.toString()));
    putSource(headers, source);
    put(headers, DeadLetterHeaders.REDACTED, Boolean.toString(redacted));
    put(headers, DeadLetterHeaders.SERVICE_VERSION, serviceVersion);
    return headers;
  }

  /** The named header's value as a string, or null. */
  public static String value(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * Record headers as a map (last value of a name wins), for the validator's CloudEvents binary
   * mode.
   */
  public static Map<String, byte[]> toMap(Headers headers) {
    Map<String, byte[]> map = new LinkedHashMap<>();
    for (Header header : headers) {
      map.put(header.key(), header.value());
    }
    return map;
  }

  /**
   * The headers a dead letter's source record was sent with (its producer's, CloudEvents binary
   * attributes included): the dead letter's own, without Kafka Streams' error headers and the
   * service's {@code kfm.*} ones.
   */
  public static RecordHeaders producerHeaders(Headers deadLetter) {
    return copyOf(deadLetter);
  }

  /**
   * The rule ids a dead letter names ({@code kfm.errors.rules}), or, for a record that failed in
   * Kafka Streams itself, its exception's class; {@code (no rule)} when it names neither.
   */
  public static List<String> rules(Headers deadLetter) {
    String rules = value(deadLetter, DeadLetterHeaders.RULES);
    List<String> out = new ArrayList<>();
    if (rules != null) {
      for (String rule : rules.split(",")) {
        if (!rule.isBlank()) {
          out.add(rule.strip());
        }
      }
    }
    if (out.isEmpty()) {
      String exception = value(deadLetter, DeadLetterHeaders.EXCEPTION);
      out.add(exception == null ? "(no rule)" : exception);
    }
    return out;
  }

  /** Whether the dead letter was cut to fit one record ({@link RecordLimit}). */
  public static boolean truncated(Headers deadLetter) {
    return deadLetter.lastHeader(DeadLetterHeaders.TRUNCATED) != null;
  }

  /** Whether the dead letter's value was redacted (a secret was found in it). */
  public static boolean redacted(Headers deadLetter) {
    return "true".equals(value(deadLetter, DeadLetterHeaders.REDACTED));
  }

  private static RecordHeaders copyOf(Headers original) {
    RecordHeaders headers = new RecordHeaders();
    if (original != null) {
      for (Header header : original) {
        if (!header.key().startsWith("__streams.errors.") && !header.key().startsWith("kfm.")) {
          headers.add(header);
        }
      }
    }
    return headers;
  }

  private static void putSource(RecordHeaders headers, Source source) {
    if (source == null) {
      return;
    }
    put(headers, DeadLetterHeaders.TOPIC, source.topic());
    put(headers, DeadLetterHeaders.PARTITION, Integer.toString(source.partition()));
    put(headers, DeadLetterHeaders.OFFSET, Long.toString(source.offset()));
    put(headers, DeadLetterHeaders.SOURCE_TIMESTAMP, Long.toString(source.timestamp()));
  }

  private static void put(RecordHeaders headers, String name, String value) {
    if (value != null) {
      headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String findingsJson(List<Finding> findings) {
    List<Map<String, String>> list = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      Map<String, String> item = new LinkedHashMap<>();
      item.put("rule", f.rule());
      item.put("severity", f.severity().word());
      item.put("path", f.path());
      item.put("message", f.message());
      list.add(item);
    }
    try {
      return MAPPER.writeValueAsString(list);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("findings are plain strings", e);
    }
  }
}
