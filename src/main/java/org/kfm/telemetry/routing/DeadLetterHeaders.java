package org.kfm.telemetry.routing;

/**
 * Header names of records on the dead-letter topic. The {@code __streams.errors.*} names are Kafka
 * Streams' own (KIP-1034): where the record came from and what went wrong. The {@code kfm.*} names
 * carry the contract's answer. Values are UTF-8 strings.
 */
public final class DeadLetterHeaders {

  /** Class name of the exception; {@link #CONTRACT_VIOLATION} for a record the contract rejects. */
  public static final String EXCEPTION = "__streams.errors.exception";

  /** Human-readable summary (the rule ids and first message, or the exception message). */
  public static final String MESSAGE = "__streams.errors.message";

  /** Stack trace of an unexpected exception (absent for contract violations). */
  public static final String STACKTRACE = "__streams.errors.stacktrace";

  public static final String TOPIC = "__streams.errors.topic";
  public static final String PARTITION = "__streams.errors.partition";
  public static final String OFFSET = "__streams.errors.offset";

  /** Distinct rule ids of the errors, comma-separated, e.g. {@code KFM-TS-002,KFM-JOIN-001}. */
  public static final String RULES = "kfm.errors.rules";

  /** The findings as a JSON array of {rule, severity, path, message}. */
  public static final String FINDINGS_JSON = "kfm.errors.json";

  /** {@code true} when the value is the redacted copy (a secret was found), else {@code false}. */
  public static final String REDACTED = "kfm.redacted";

  /**
   * Present when the dead letter would not have fitted in one record ({@link RecordLimit}): what
   * was cut (the value to its first bytes; the source's own headers; its key) and where the whole
   * record is. Such a dead letter cannot be replayed.
   */
  public static final String TRUNCATED = "kfm.truncated";

  /** The source record's timestamp, epoch milliseconds. */
  public static final String SOURCE_TIMESTAMP = "kfm.errors.timestamp";

  /** The version of this service that wrote the record. */
  public static final String SERVICE_VERSION = "kfm.service.version";

  /** The contract version the record was judged against. */
  public static final String CONTRACT_VERSION = "kfm.contract.version";

  /** The exception name used for records the contract rejects (no exception was thrown). */
  public static final String CONTRACT_VIOLATION = "org.kfm.telemetry.ContractViolation";

  private DeadLetterHeaders() {}
}
