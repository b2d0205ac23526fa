package org.kfm.telemetry.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.kfm.telemetry.avro.ValidationWarning;
import org.kfm.telemetry.contract.Envelope;

/**
 * Encodes an accepted payload as the value it will have on {@code kfm.telemetry.valid}: its Avro
 * {@code TelemetryEvent} in the Confluent wire format (the serdes' own encoder writes it straight
 * from the payload; see {@code TelemetrySerdes#eventEncoder}).
 */
@FunctionalInterface
public interface EventEncoder {

  /**
   * @param topic the topic the event is for (its subject, its schema id)
   * @param headers the record's headers
   * @param payload a payload that passed validation
   * @param envelope how it arrived
   * @param contractVersion the validator's contract version
   * @param warnings the validator's warnings
   * @param payloadDigest the SHA-256 of the payload's canonical JSON
   */
  byte[] encode(
      String topic,
      Headers headers,
      ObjectNode payload,
      Envelope envelope,
      String contractVersion,
      List<ValidationWarning> warnings,
      String payloadDigest);
}
