package org.kfm.telemetry.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routing counters: records by outcome ({@code kfm_records_total{outcome=valid|dlq|duplicate}}),
 * dead-lettered records by rule ({@code kfm_dlq_rules_total{rule}}) and warnings by rule
 * ({@code kfm_warnings_total{rule}}). Counters are looked up once and cached.
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
    return Counter.builder("kfm.records").description("Records read from the raw topic, by outcome")
        .tag("outcome", outcome).register(registry);
  }

  void valid(Iterable<String> warningRules) {
    valid.increment();
    for (String rule : warningRules) {
      warningsByRule.computeIfAbsent(rule, r -> Counter.builder("kfm.warnings")
          .description("Warnings on accepted records, by rule").tag("rule", r).register(registry)).increment();
    }
  }

  void deadLettered(Iterable<String> rules) {
    dlq.increment();
    for (String rule : rules) {
      dlqByRule.computeIfAbsent(rule, r -> Counter.builder("kfm.dlq.rules")
          .description("Dead-lettered records, by rule (a record may count under several)").tag("rule", r)
          .register(registry)).increment();
    }
  }

  void duplicate() {
    duplicate.increment();
  }
}
