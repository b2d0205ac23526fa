/**
 * Avro in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro binary body),
 * with Schema Registry clients that speak the Confluent REST API ({@code http(s)://}) or keep
 * schemas in memory ({@code mock://<scope>}), configured with Confluent's property names: what a
 * producer or consumer of the service's Avro needs. (The embedded registry server of dev mode and
 * the tests lives in {@code org.kfm.telemetry.dev}.)
 */
package org.kfm.telemetry.serde;
