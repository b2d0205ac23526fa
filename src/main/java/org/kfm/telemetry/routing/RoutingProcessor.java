package org.kfm.telemetry.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.avro.ValidationWarning;
import org.kfm.telemetry.contract.Canonical;
import org.kfm.telemetry.contract.Envelope;
import org.kfm.telemetry.contract.TelemetryEvents;
import org.kfm.telemetry.validation.Finding;
import org.kfm.telemetry.validation.Redactor;
import org.kfm.telemetry.validation.Validator;
import org.kfm.telemetry.validation.Verdict;
import org.kfm.telemetry.validation.rules.VersionRule;

/**
 * Validates each raw record and routes it: rejected records (original bytes, or the redacted copy
 * when a secret was found) to the dead-letter child with headers saying why; accepted records,
 * unless already seen within the de-duplication retention, as a {@link TelemetryEvent} to the
 * valid child, keyed by the join key and stamped with the payload's {@code ts}.
 */
public final class RoutingProcessor implements Processor<byte[], byte[], Object, Object> {

  /** Name of the child that writes accepted events. */
  public static final String VALID_CHILD = "valid-sink";
  /** Name of the child that writes dead letters. */
  public static final String DLQ_CHILD = "dlq-sink";

  private final Validator validator;
  private final String storeName;
  private final long retentionMs;
  private final RoutingMetrics metrics;
  private final String serviceVersion;
  private ProcessorContext<Object, Object> context;
  private WindowStore<String, Long> seen;

  public RoutingProcessor(Validator validator, String storeName, Duration dedupRetention, RoutingMetrics metrics,
                          String serviceVersion) {
    this.validator = validator;
    this.storeName = storeName;
    this.retentionMs = dedupRetention.toMillis();
    this.metrics = metrics;
    this.serviceVersion = serviceVersion;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    Verdict verdict = validator.validate(record.value(), DeadLetters.toMap(record.headers()));
    if (!verdict.valid()) {
      deadLetter(record, verdict);
      return;
    }
    ObjectNode payload = verdict.payload();
    String digest = Canonical.sha256(payload);
    String dedupKey = dedupKey(verdict.envelope(), digest);
    long time = record.timestamp();
    if (seenBefore(dedupKey, time)) {
      metrics.duplicate();
      return;
    }
    seen.put(dedupKey, time, time);
    TelemetryEvent event = TelemetryEvents.toEvent(payload, verdict.envelope(), VersionRule.CONTRACT_VERSION,
        warnings(verdict), digest);
    context.forward(record.withKey(joinKey(payload)).withValue(event)
        .withTimestamp(event.getEventTime().toEpochMilli()), VALID_CHILD);
    metrics.valid(verdict.warnings().stream().map(Finding::rule).toList());
  }

  private void deadLetter(Record<byte[], byte[]> record, Verdict verdict) {
    byte[] value = verdict.secretFound() ? Redactor.redact(verdict, record.value()) : record.value();
    context.forward(record.withValue(value)
        .withHeaders(DeadLetters.forVerdict(record.headers(), verdict, source(record), serviceVersion,
            VersionRule.CONTRACT_VERSION)), DLQ_CHILD);
    metrics.deadLettered(verdict.errorRules());
  }

  private boolean seenBefore(String key, long time) {
    try (WindowStoreIterator<Long> hits = seen.fetch(key, time - retentionMs, time + retentionMs)) {
      return hits.hasNext();
    }
  }

  /** A CloudEvent is identified by source + id; a bare payload by its canonical digest. */
  static String dedupKey(Envelope envelope, String digest) {
    if (envelope.id() != null) {
      return "ce:" + envelope.source() + "\u0000" + envelope.id();
    }
    return digest;
  }

  /** run.run_id, else correlation.correlation_id, else null. */
  static String joinKey(ObjectNode payload) {
    String run = payload.path("run").path("run_id").textValue();
    return run != null ? run : payload.path("correlation").path("correlation_id").textValue();
  }

  private DeadLetters.Source source(Record<byte[], byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    return meta == null ? null : new DeadLetters.Source(meta.topic(), meta.partition(), meta.offset(), record.timestamp());
  }

  private static List<ValidationWarning> warnings(Verdict verdict) {
    List<ValidationWarning> warnings = new ArrayList<>(verdict.warnings().size());
    for (Finding f : verdict.warnings()) {
      warnings.add(new ValidationWarning(f.rule(), f.path(), f.message()));
    }
    return warnings;
  }
}
