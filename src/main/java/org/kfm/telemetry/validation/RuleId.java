package org.kfm.telemetry.validation;

import static org.kfm.telemetry.validation.Severity.ERROR;
import static org.kfm.telemetry.validation.Severity.WARN;

/**
 * Every rule of contract v2: its stable id, its severity and what it checks. Ids are never reused
 * or renumbered; docs/contract.md lists the same table for producers.
 */
public enum RuleId {
  PARSE_001(
      "KFM-PARSE-001",
      ERROR,
      "record is not well-formed UTF-8 (or starts with a BOM, or escapes an unpaired surrogate)"),
  PARSE_002(
      "KFM-PARSE-002",
      ERROR,
      "record is not well-formed JSON (syntax, empty, trailing content, non-finite number)"),
  PARSE_003("KFM-PARSE-003", ERROR, "top-level value is not a JSON object"),
  PARSE_004("KFM-PARSE-004", ERROR, "an object has a duplicate key"),
  PARSE_005("KFM-PARSE-005", ERROR, "record is larger than the size limit"),
  PARSE_006("KFM-PARSE-006", ERROR, "objects/arrays are nested deeper than the depth limit"),
  PARSE_007("KFM-PARSE-007", ERROR, "a string, key or number is longer than its limit"),
  SCHEMA_001(
      "KFM-SCHEMA-001", ERROR, "payload violates the common JSON Schema (telemetry.schema.json)"),
  SCHEMA_002(
      "KFM-SCHEMA-002", ERROR, "CloudEvents envelope is invalid (attributes, content type, data)"),
  META_001("KFM-META-001", ERROR, "schema_version is missing or not a SemVer 2.0.0 version"),
  META_003("KFM-META-003", ERROR, "schema_version has an unsupported major version (supported: 2)"),
  META_004(
      "KFM-META-004",
      WARN,
      "schema_version is a newer minor than this validator knows; new fields pass unchecked"),
  META_005("KFM-META-005", ERROR, "level is missing or not one of debug, info, warn, error"),
  META_006("KFM-META-006", ERROR, "a count, size or duration is negative"),
  META_007("KFM-META-007", ERROR, "a percentage is outside 0..100"),
  META_008("KFM-META-008", ERROR, "a digest is not sha256:<64 lowercase hex>"),
  META_010("KFM-META-010", WARN, "pipeline event without run.commit_sha"),
  META_011("KFM-META-011", WARN, "pipeline event without run.config_hash"),
  META_012("KFM-META-012", WARN, "a gate ran but the event has no policy block"),
  META_013("KFM-META-013", WARN, "publish event without provenance pointers"),
  META_014("KFM-META-014", WARN, "pipeline run event without run.idempotency_key"),
  KIND_001(
      "KFM-KIND-001",
      ERROR,
      "kind is missing or not lower-case dot-separated (e.g. pipeline.run.completed)"),
  KIND_002(
      "KFM-KIND-002", WARN, "kind is unknown to contract v2; only the common contract was checked"),
  KIND_003(
      "KFM-KIND-003", ERROR, "payload violates its kind's JSON Schema (kinds/<kind>.schema.json)"),
  KIND_004("KFM-KIND-004", WARN, "pipeline.step without run.pipeline (which pipeline ran)"),
  KIND_005("KFM-KIND-005", WARN, "pipeline.step without run.step (which step ran)"),
  TS_001("KFM-TS-001", ERROR, "ts is missing or not an RFC 3339 date-time with a zone offset"),
  TS_002("KFM-TS-002", ERROR, "ts is not a real date and time (e.g. February 30th, hour 24)"),
  TS_003("KFM-TS-003", ERROR, "ts is too far in the future"),
  JOIN_001("KFM-JOIN-001", ERROR, "no join key: neither run.run_id nor correlation.correlation_id"),
  JOIN_002(
      "KFM-JOIN-002",
      WARN,
      "wpe.alert without a join key (correlation.correlation_id recommended)"),
  JOIN_003(
      "KFM-JOIN-003",
      ERROR,
      "a join key is empty, too long, or holds whitespace or control characters"),
  PRIV_001(
      "KFM-PRIV-001",
      ERROR,
      "privacy.classification is missing or not public, internal, restricted, sensitive"),
  PRIV_002(
      "KFM-PRIV-002",
      ERROR,
      "PII (e-mail address, phone number, PII-named field) in an event not permitted to carry it"),
  PRIV_003(
      "KFM-PRIV-003",
      ERROR,
      "privacy.contains_pii is true but the classification is public or internal"),
  SECRET_001("KFM-SECRET-001", ERROR, "a cloud provider credential (AWS, Google Cloud, Azure)"),
  SECRET_002(
      "KFM-SECRET-002",
      ERROR,
      "an access token (JWT, bearer/basic credentials, GitHub, GitLab, Slack, Stripe, OpenAI)"),
  SECRET_003("KFM-SECRET-003", ERROR, "a private key block"),
  SECRET_004("KFM-SECRET-004", ERROR, "a password/secret/token/api_key field with a value"),
  SECRET_005(
      "KFM-SECRET-005", ERROR, "credentials in a URL (user:password@ or a secret query parameter)"),
  GEO_001("KFM-GEO-001", ERROR, "high-precision coordinates on a restricted or sensitive event"),
  TRACE_001(
      "KFM-TRACE-001",
      ERROR,
      "correlation.trace_id (or traceparent) is not a W3C trace id: 32 lower-case hex, not all zero"),
  TRACE_002(
      "KFM-TRACE-002", ERROR, "a span id is not a W3C span id: 16 lower-case hex, not all zero"),
  TRACE_003("KFM-TRACE-003", WARN, "correlation.span_id without correlation.trace_id"),
  SIG_001("KFM-SIG-001", ERROR, "wpe.alert without a signature block"),
  SIG_002(
      "KFM-SIG-002", ERROR, "signature is malformed (algo ed25519, key_id, sig \"base64:...\")"),
  SIG_003("KFM-SIG-003", ERROR, "signature by a trusted key does not verify"),
  SIG_004("KFM-SIG-004", WARN, "signature not verified: key_id is not among the trusted keys");

  private final String id;
  private final Severity severity;
  private final String summary;

  RuleId(String id, Severity severity, String summary) {
    this.id = id;
    this.severity = severity;
    this.summary = summary;
  }

  public String id() {
    return id;
  }

  public Severity severity() {
    return severity;
  }

  public String summary() {
    return summary;
  }
}
