/**
 * The development stack of {@code kfm dev}: an in-process Kafka broker ({@link
 * org.kfm.telemetry.dev.EmbeddedKafka}), a small Confluent-API schema registry that keeps its
 * schemas in memory or in a compacted {@code _schemas} topic ({@link
 * org.kfm.telemetry.dev.EmbeddedSchemaRegistry}), the service itself and the demo traffic ({@link
 * org.kfm.telemetry.dev.DemoTraffic}). The service never depends on it: only the command line
 * registers {@code kfm dev} and {@code kfm produce --demo}.
 */
package org.kfm.telemetry.dev;
