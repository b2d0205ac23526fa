package org.kfm.telemetry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.kfm.telemetry.contract.BoundedJsonParser;
import org.kfm.telemetry.contract.Envelope;
import org.kfm.telemetry.contract.Envelopes;
import org.kfm.telemetry.contract.ParseProblem;
import org.kfm.telemetry.contract.ParsedJson;
import org.kfm.telemetry.validation.rules.DigestRule;
import org.kfm.telemetry.validation.rules.GeoPrecisionRule;
import org.kfm.telemetry.validation.rules.JoinKeyRule;
import org.kfm.telemetry.validation.rules.KindRule;
import org.kfm.telemetry.validation.rules.LevelRule;
import org.kfm.telemetry.validation.rules.MeasureRule;
import org.kfm.telemetry.validation.rules.PrivacyRule;
import org.kfm.telemetry.validation.rules.RecommendedFieldsRule;
import org.kfm.telemetry.validation.rules.SensitiveTextRule;
import org.kfm.telemetry.validation.rules.SignatureRule;
import org.kfm.telemetry.validation.rules.TimestampRule;
import org.kfm.telemetry.validation.rules.TraceContextRule;
import org.kfm.telemetry.validation.rules.VersionRule;

/**
 * Decides whether one record is a valid KFM telemetry payload under contract v2 and, if not,
 * exactly why. Parses once (bounded), unwraps a CloudEvents envelope, runs the semantic rules
 * (member rules, then one walk over every value for the field rules), then the JSON Schema of the
 * payload's kind. Never throws on bad input; thread-safe; build once and share.
 */
public final class Validator {

  private static final List<Rule> RULES =
      List.of(
          new VersionRule(),
          new KindRule(SchemaContract.KNOWN_KINDS),
          new TimestampRule(),
          new LevelRule(),
          new JoinKeyRule(),
          new PrivacyRule(),
          new TraceContextRule(),
          new SignatureRule(),
          new RecommendedFieldsRule());

  private static final FieldRules FIELD_RULES =
      new FieldRules(
          new SensitiveTextRule(), new GeoPrecisionRule(), new MeasureRule(), new DigestRule());

  /** For public and internal events, where the coordinate rule cannot fire. */
  private static final FieldRules UNRESTRICTED_FIELD_RULES =
      new FieldRules(new SensitiveTextRule(), new MeasureRule(), new DigestRule());

  /** For what is not the payload (envelope attributes, unusable envelopes): secrets only. */
  private static final FieldRules SECRET_RULES = new FieldRules(new SensitiveTextRule(false));

  private final ValidatorOptions options;
  private final BoundedJsonParser parser;
  private final Envelopes envelopes;
  private final SchemaContract schemas;

  public Validator(ValidatorOptions options) {
    this(options, SchemaContract.standard());
  }

  /** Shares already-compiled schemas (they are immutable) with another validator. */
  public Validator(ValidatorOptions options, SchemaContract schemas) {
    this.options = options;
    this.parser = new BoundedJsonParser(options.limits());
    this.envelopes = new Envelopes(parser);
    this.schemas = schemas;
  }

  public ValidatorOptions options() {
    return options;
  }

  /** Validates a bare or CloudEvents structured record. */
  public Verdict validate(byte[] value) {
    return validate(value, Map.of());
  }

  /**
   * Validates one record.
   *
   * @param value the record value exactly as it would be sent to Kafka
   * @param headers the record's headers by name (for CloudEvents binary mode); may be empty
   */
  public Verdict validate(byte[] value, Map<String, byte[]> headers) {
    ParsedJson parsed = parser.parse(value);
    if (!parsed.isOk()) {
      return unparseable(value, parsed.problem(), "", null, Envelope.BARE);
    }
    Envelopes.Unwrapped unwrapped =
        envelopes.unwrap(parsed.root(), headers == null ? Map.of() : headers);
    Envelope envelope = unwrapped.envelope();
    Instant now = Instant.now(options.clock());
    if (unwrapped.parseProblem() != null) {
      Verdict verdict =
          unparseable(
              value, unwrapped.parseProblem(), envelope.payloadPointer(), parsed.root(), envelope);
      Findings findings = new Findings("");
      scanRawText(unwrapped.decodedData(), findings);
      walkObject(
          new Payload(parsed.root(), now, options),
          parsed.root(),
          new Field(),
          findings,
          SECRET_RULES);
      return findings.secretFound() ? merge(verdict, findings) : verdict;
    }
    if (unwrapped.payload() == null) {
      Findings findings = new Findings("");
      for (Envelopes.Problem problem : unwrapped.problems()) {
        findings.add(RuleId.SCHEMA_002, problem.pointer(), problem.message());
      }
      walkObject(
          new Payload(parsed.root(), now, options),
          parsed.root(),
          new Field(),
          findings,
          SECRET_RULES);
      return verdict(findings, parsed.root(), null, envelope, null);
    }
    Findings findings = new Findings(envelope.payloadPointer());
    Payload payload = new Payload(unwrapped.payload(), now, options);
    for (Rule rule : RULES) {
      rule.check(payload, findings);
    }
    walkObject(
        payload,
        payload.root(),
        new Field(),
        findings,
        payload.isRestricted() ? FIELD_RULES : UNRESTRICTED_FIELD_RULES);
    schemas.check(payload, findings);
    if (envelope.mode() == Envelope.Mode.CLOUDEVENTS_STRUCTURED) {
      checkEnvelopeAttributes(payload, parsed.root(), findings, envelope.payloadPointer());
    }
    String kind =
        payload.kind() != null && KindRule.isWellFormed(payload.kind()) ? payload.kind() : null;
    if (kind != null && findings.secretFound()) {
      kind = Redactor.redactText(kind);
    }
    return verdict(findings, parsed.root(), payload.root(), envelope, kind);
  }

  private static Verdict verdict(
      Findings findings, ObjectNode record, ObjectNode payload, Envelope envelope, String kind) {
    List<Finding> errors = findings.errors();
    return new Verdict(
        errors.isEmpty(),
        record,
        payload,
        envelope,
        kind,
        errors,
        findings.warnings(),
        findings.secretFound());
  }

  private Verdict unparseable(
      byte[] value, ParseProblem problem, String prefix, ObjectNode record, Envelope envelope) {
    Findings findings = new Findings(prefix);
    findings.add(parseRule(problem.kind()), problem.pointer(), elideTokens(problem.message()));
    scanRawText(value, findings);
    return verdict(findings, record, null, envelope, null);
  }

  /** The attributes of a structured CloudEvent (not its data) may not hold secrets either. */
  private void checkEnvelopeAttributes(
      Payload payload, ObjectNode event, Findings findings, String payloadPointer) {
    findings.prefix("");
    Field field = new Field();
    Iterator<Map.Entry<String, JsonNode>> members = event.properties().iterator();
    while (members.hasNext()) {
      Map.Entry<String, JsonNode> member = members.next();
      if (!member.getKey().equals("data")) {
        field.enterKey(member.getKey());
        walkValue(payload, member.getValue(), field, findings, SECRET_RULES);
        field.leave();
      }
    }
    findings.prefix(payloadPointer);
  }

  private static Verdict merge(Verdict verdict, Findings more) {
    List<Finding> errors = new java.util.ArrayList<>(verdict.errors());
    errors.addAll(more.errors());
    return new Verdict(
        false,
        verdict.record(),
        null,
        verdict.envelope(),
        null,
        List.copyOf(errors),
        verdict.warnings(),
        true);
  }

  /**
   * A record we cannot read as a payload may still hold a secret; it must be found to be redacted.
   */
  private static void scanRawText(byte[] value, Findings findings) {
    if (value == null) {
      return;
    }
    String text = new String(value, StandardCharsets.UTF_8);
    for (TextScanner.Hit hit : TextScanner.scanUnparsed(text)) {
      if (hit.type().isSecret()) {
        findings.addSecret(
            hit.type().rule(),
            "",
            "record holds "
                + hit.type().description()
                + " (found in the raw bytes; the record is stored redacted)");
      }
    }
  }

  /** Jackson quotes the token it could not read; that token may be a secret, so it is left out. */
  private static String elideTokens(String message) {
    return message.replaceAll("token '[^']*'", "token");
  }

  static RuleId parseRule(ParseProblem.Kind kind) {
    switch (kind) {
      case INVALID_UTF8:
        return RuleId.PARSE_001;
      case NOT_AN_OBJECT:
        return RuleId.PARSE_003;
      case DUPLICATE_KEY:
        return RuleId.PARSE_004;
      case TOO_LARGE:
        return RuleId.PARSE_005;
      case TOO_DEEP:
        return RuleId.PARSE_006;
      case TOO_LONG:
        return RuleId.PARSE_007;
      default:
        return RuleId.PARSE_002;
    }
  }

  private static void walkObject(
      Payload payload, ObjectNode object, Field field, Findings findings, FieldRules rules) {
    Iterator<Map.Entry<String, JsonNode>> members = object.properties().iterator();
    while (members.hasNext()) {
      Map.Entry<String, JsonNode> member = members.next();
      field.enterKey(member.getKey());
      if (field.has(KeyTraits.SENSITIVE_KEY)) {
        rules.visitKey(payload, field, findings);
      }
      walkValue(payload, member.getValue(), field, findings, rules);
      field.leave();
    }
  }

  private static void walkValue(
      Payload payload, JsonNode value, Field field, Findings findings, FieldRules rules) {
    // instanceof, not isObject()/isArray(): node types are many, and the walk asks for every value.
    if (value instanceof ObjectNode object) {
      walkObject(payload, object, field, findings, rules);
    } else if (value instanceof ArrayNode array) {
      rules.visitArray(payload, field, array, findings);
      for (int i = 0, n = array.size(); i < n; i++) {
        field.enterIndex(i);
        walkValue(payload, array.get(i), field, findings, rules);
        field.leave();
      }
    } else {
      rules.visitScalar(payload, field, value, value instanceof TextNode, findings);
    }
  }
}
