package org.kfm.telemetry.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.avro.ValidationWarning;
import org.kfm.telemetry.contract.Canonical;
import org.kfm.telemetry.contract.Envelope;
import org.kfm.telemetry.contract.JoinKeys;
import org.kfm.telemetry.validation.Finding;
import org.kfm.telemetry.validation.Redactor;
import org.kfm.telemetry.validation.RuleId;
import org.kfm.telemetry.validation.Severity;
import org.kfm.telemetry.validation.Validator;
import org.kfm.telemetry.validation.Verdict;
import org.kfm.telemetry.validation.rules.VersionRule;

/**
 * Validates each raw record and forwards one {@link Routed}: a rejected record as a {@link
 * Routed.DeadLetter} (original key and bytes, or the redacted copy when a secret was found, with
 * headers saying why); an accepted one as a {@link Routed.Accepted} (its Avro {@link
 * TelemetryEvent}, encoded once for {@code kfm.telemetry.valid}) keyed by its de-duplication key,
 * so that repartitioning brings every copy of an event to one task whatever partition it came from.
 * The record timestamp (when the raw record reached Kafka) is kept.
 */
public final class ValidateProcessor implements Processor<byte[], byte[], byte[], Routed> {

  private final Validator validator;
  private final EventEncoder events;
  private final String validTopic;
  private final RoutingMetrics metrics;
  private final String serviceVersion;
  private ProcessorContext<byte[], Routed> context;
  private RecordLimit eventLimit = RecordLimit.events(Map.of());
  private RecordLimit deadLetterLimit = RecordLimit.deadLetters(Map.of());

  /**
   * @param events encodes accepted events as they will be on {@code validTopic} (its subject, its
   *     schema id)
   */
  public ValidateProcessor(
      Validator validator,
      EventEncoder events,
      String validTopic,
      RoutingMetrics metrics,
      String serviceVersion) {
    this.validator = validator;
    this.events = events;
    this.validTopic = validTopic;
    this.metrics = metrics;
    this.serviceVersion = serviceVersion;
  }

  @Override
  public void init(ProcessorContext<byte[], Routed> context) {
    this.context = context;
    this.eventLimit = RecordLimit.events(context.appConfigs());
    this.deadLetterLimit = RecordLimit.deadLetters(context.appConfigs());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    context.forward(route(record));
  }

  /**
   * What {@link #process} forwards for {@code record}: its dead letter or its accepted event
   * (public for the routing benchmark).
   */
  public Record<byte[], Routed> route(Record<byte[], byte[]> record) {
    Verdict verdict = validator.validate(record.value(), DeadLetters.toMap(record.headers()));
    if (!verdict.valid()) {
      return deadLetter(record, verdict);
    }
    ObjectNode payload = verdict.payload();
    String digest = Canonical.sha256(payload);
    byte[] encoded =
        events.encode(
            validTopic,
            record.headers(),
            payload,
            verdict.envelope(),
            VersionRule.CONTRACT_VERSION,
            warnings(verdict),
            digest);
    byte[] dedupKey = dedupKey(verdict.envelope(), digest).getBytes(StandardCharsets.UTF_8);
    String joinKey = JoinKeys.of(payload);
    // the larger of its two records: on the repartition topic (the de-duplication key; the join
    // key, then the event) and on the valid topic (the join key; the event), with the raw headers
    int joinKeyBytes = joinKey == null ? 0 : joinKey.getBytes(StandardCharsets.UTF_8).length;
    int keyBytes = Math.max(dedupKey.length, joinKeyBytes);
    if (!eventLimit.fits(keyBytes, 4 + joinKeyBytes + encoded.length, record.headers())) {
      return deadLetter(record, tooLarge(verdict, encoded.length));
    }
    metrics.accepted(verdict.warnings());
    return record.withKey(dedupKey).withValue(new Routed.Accepted(joinKey, encoded));
  }

  /** The verdict for a valid payload whose event is too large to be sent ({@link RecordLimit}). */
  private Verdict tooLarge(Verdict verdict, int eventBytes) {
    Finding finding =
        new Finding(
            RuleId.PARSE_005.id(),
            Severity.ERROR,
            "",
            "the payload is valid, but its event ("
                + eventBytes
                + " bytes of Avro), with the record's key and headers, does not fit in one record"
                + " of at most "
                + eventLimit.maxBytes()
                + " bytes (the producer's max.request.size, the topics' max.message.bytes); send"
                + " a smaller payload");
    return new Verdict(
        false,
        verdict.record(),
        null,
        verdict.envelope(),
        verdict.kind(),
        List.of(finding),
        verdict.warnings(),
        false);
  }

  private Record<byte[], Routed> deadLetter(Record<byte[], byte[]> record, Verdict verdict) {
    byte[] value =
        verdict.secretFound() ? Redactor.redact(verdict, record.value()) : record.value();
    metrics.deadLettered(verdict.errorRules());
    DeadLetters.Source source = source(record);
    RecordLimit.Fitted letter =
        deadLetterLimit.fit(
            record.key(),
            value,
            DeadLetters.forVerdict(
                record.headers(), verdict, source, serviceVersion, VersionRule.CONTRACT_VERSION),
            source);
    return record
        .withKey(letter.key())
        .<Routed>withValue(new Routed.DeadLetter(letter.value()))
        .withHeaders(letter.headers());
  }

  /** A CloudEvent is identified by source + id; a bare payload by its canonical digest. */
  static String dedupKey(Envelope envelope, String digest) {
    if (envelope.id() != null) {
      return "ce:" + envelope.source() + "\u0000" + envelope.id();
    }
    return digest;
  }

  private DeadLetters.Source source(Record<byte[], byte[]> record) {
    RecordMetadata meta = context == null ? null : context.recordMetadata().orElse(null);
    return meta == null
        ? null
        : new DeadLetters.Source(meta.topic(), meta.partition(), meta.offset(), record.timestamp());
  }

  private static List<ValidationWarning> warnings(Verdict verdict) {
    List<ValidationWarning> warnings = new ArrayList<>(verdict.warnings().size());
    for (Finding f : verdict.warnings()) {
      warnings.add(new ValidationWarning(f.rule(), f.path(), f.message()));
    }
    return warnings;
  }
}
