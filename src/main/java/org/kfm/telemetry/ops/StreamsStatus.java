package org.kfm.telemetry.ops;

/**
 * The state of the Kafka Streams client, by its {@code KafkaStreams.State} name; {@link #RUNNING}
 * means ready.
 */
@FunctionalInterface
public interface StreamsStatus {

  String RUNNING = "RUNNING";

  String state();
}
