/**
 * Avro in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro binary body),
 * with Schema Registry clients that speak the Confluent REST API ({@code http(s)://}) or keep schemas
 * in memory ({@code mock://<scope>}), configured with Confluent's property names; and
 * {@link org.kfm.telemetry.serde.EmbeddedSchemaRegistry}, a small Confluent-API registry for dev mode and
 * tests that keeps its schemas in memory or in a compacted {@code _schemas} topic in Confluent's format.
 */
package org.kfm.telemetry.serde;
