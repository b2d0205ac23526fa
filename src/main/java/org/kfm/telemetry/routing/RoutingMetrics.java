package org.kfm.telemetry.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kfm.telemetry.validation.Finding;

/**
 * The routing counters: records by outcome ({@code
 * kfm_records_total{outcome=valid|dlq|duplicate}}), dead-lettered records by rule ({@code
 * kfm_dlq_rules_total{rule}}) and warnings on accepted records by rule ({@code
 * kfm_warnings_total{rule}}, duplicates included). Counters are looked up once and cached.
 */
public final class RoutingMetrics {

  private final MeterRegistry registry;
  private final Counter valid;
  private final Counter dlq;
  private final Counter duplicate;
  private final Map<String, Counter> dlqByRule = new ConcurrentHashMap<>();
  private final Map<String, Counter> warningsByRule = new ConcurrentHashMap<>();

  public RoutingMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.valid = outcome("valid");
    this.dlq = outcome("dlq");
    this.duplicate = outcome("duplicate");
  }

  private Counter outcome(String outcome) {
    return Counter.builder("kfm.records")
        .description("Records read from the raw topic, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Counts the warnings of an accepted record (before de-duplication). */
  void accepted(Iterable<Finding> warnings) {
    for (Finding warning : warnings) {
      warningsByRule
          .computeIfAbsent(
              warning.rule(),
              r ->
                  Counter.builder("kfm.warnings")
                      .description("Warnings on accepted records (duplicates included), by rule")
                      .tag("rule", r)
                      .register(registry))
          .increment();
    }
  }

  void valid() {
    valid.increment();
  }

  void deadLettered(Iterable<String> rules) {
    dlq.increment();
    for (String rule : rules) {
      dlqByRule
          .computeIfAbsent(
              rule,
              r ->
                  Counter.builder("kfm.dlq.rules")
                      .description(
                          "Dead-lettered records, by rule (a record may count under several)")
                      .tag("rule", r)
                      .register(registry))
          .increment();
    }
  }

  void duplicate() {
    duplicate.increment();
  }
}
