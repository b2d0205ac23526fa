package org.kfm.telemetry.ops;

/**
 * The state of the Kafka Streams client, by its {@code KafkaStreams.State} name; {@link #RUNNING}
 * means ready, unless the stream is {@link #stalled()}.
 */
@FunctionalInterface
public interface StreamsStatus {

  String RUNNING = "RUNNING";

  String state();

  /**
   * Why records cannot flow although the client may be {@link #RUNNING} (e.g. {@code the schema
   * registry is unavailable since ...}), or null when nothing known stalls them.
   */
  default String stalled() {
    return null;
  }
}
