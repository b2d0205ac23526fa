package org.kfm.telemetry.validation;

/**
 * One thing a rule found in a record.
 *
 * @param rule the rule's stable id, e.g. {@code KFM-TS-001}
 * @param severity error (rejects the record) or warn
 * @param path JSON Pointer (RFC 6901) into the record to the offending value; "" for the whole
 *     record
 * @param message a short explanation for the producer; never contains a secret value
 */
public record Finding(String rule, Severity severity, String path, String message) {}
