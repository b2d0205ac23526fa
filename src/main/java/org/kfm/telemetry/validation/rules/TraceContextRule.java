package org.kfm.telemetry.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import org.kfm.telemetry.validation.Findings;
import org.kfm.telemetry.validation.LowerHex;
import org.kfm.telemetry.validation.Payload;
import org.kfm.telemetry.validation.Rule;
import org.kfm.telemetry.validation.RuleId;

/**
 * KFM-TRACE-001/002/003: W3C Trace Context ids in {@code correlation}: a trace id is 32 and a span
 * id 16 lower-case hex digits, never all zero; a {@code traceparent} is {@code
 * 00-<trace-id>-<span-id>-<flags>}; a span id comes with its trace id.
 */
public final class TraceContextRule implements Rule {

  @Override
  public void check(Payload payload, Findings findings) {
    JsonNode correlation = payload.root().get("correlation");
    if (correlation == null || !correlation.isObject()) {
      return;
    }
    JsonNode traceId = correlation.get("trace_id");
    JsonNode spanId = correlation.get("span_id");
    if (traceId != null && !isId(traceId, 32)) {
      findings.add(
          RuleId.TRACE_001,
          "/correlation/trace_id",
          "correlation.trace_id must be 32 lower-case hex digits, not all zero (W3C Trace Context)");
    }
    if (spanId != null && !isId(spanId, 16)) {
      findings.add(
          RuleId.TRACE_002,
          "/correlation/span_id",
          "correlation.span_id must be 16 lower-case hex digits, not all zero (W3C Trace Context)");
    }
    JsonNode parentSpan = correlation.get("parent_span_id");
    if (parentSpan != null && !isId(parentSpan, 16)) {
      findings.add(
          RuleId.TRACE_002,
          "/correlation/parent_span_id",
          "correlation.parent_span_id must be 16 lower-case hex digits, not all zero (W3C Trace Context)");
    }
    JsonNode traceparent = correlation.get("traceparent");
    if (traceparent != null) {
      checkTraceparent(traceparent, findings);
    }
    if (spanId != null && traceId == null && traceparent == null) {
      findings.add(
          RuleId.TRACE_003,
          "/correlation/span_id",
          "correlation.span_id without correlation.trace_id cannot be joined to a trace");
    }
  }

  /** True for a string of exactly {@code length} lower-case hex digits that are not all zero. */
  public static boolean isValidId(String s, int length) {
    if (s.length() != length || !LowerHex.isRange(s, 0, length)) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) != '0') {
        return true;
      }
    }
    return false;
  }

  private static boolean isId(JsonNode node, int length) {
    return node.isTextual() && isValidId(node.textValue(), length);
  }

  private static void checkTraceparent(JsonNode node, Findings findings) {
    String s = node.isTextual() ? node.textValue() : "";
    boolean shape =
        s.length() == 55
            && s.startsWith("00-")
            && s.charAt(35) == '-'
            && s.charAt(52) == '-'
            && LowerHex.isRange(s, 53, 55);
    if (!shape || !isValidId(s.substring(3, 35), 32)) {
      findings.add(
          RuleId.TRACE_001,
          "/correlation/traceparent",
          "correlation.traceparent must be \"00-<32 hex trace id>-<16 hex span id>-<2 hex flags>\" with a non-zero trace id");
    } else if (!isValidId(s.substring(36, 52), 16)) {
      findings.add(
          RuleId.TRACE_002,
          "/correlation/traceparent",
          "the span id in correlation.traceparent must be 16 lower-case hex digits, not all zero");
    }
  }
}
