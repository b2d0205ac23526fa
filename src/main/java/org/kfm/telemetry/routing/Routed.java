package org.kfm.telemetry.routing;

/**
 * What {@link ValidateProcessor} forwards for one raw record: a dead letter, written to the
 * dead-letter topic as it is, or an accepted event on its way to de-duplication.
 */
public sealed interface Routed {

  /**
   * A rejected record: the bytes to dead-letter (the original value, or its redacted copy); headers
   * say why.
   */
  record DeadLetter(byte[] value) implements Routed {}

  /**
   * An accepted event: its join key (the key it will have on {@code kfm.telemetry.valid}) and the
   * Confluent-wire-format Avro {@code TelemetryEvent}, encoded once.
   */
  record Accepted(String joinKey, byte[] event) implements Routed {}
}
