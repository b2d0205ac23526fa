package org.kfm.telemetry.serde;

import org.apache.avro.Schema;

/**
 * One version of a schema under a subject, as the registry knows it.
 *
 * @param subject the subject (for TopicNameStrategy {@code <topic>-value} or {@code <topic>-key})
 * @param version the version within the subject, from 1
 * @param id the registry-wide schema id written into the wire format
 * @param schema the parsed Avro schema
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {}
