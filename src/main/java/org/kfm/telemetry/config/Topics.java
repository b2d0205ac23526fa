package org.kfm.telemetry.config;

import java.util.Objects;

/**
 * The service's topic names. Defaults are those of topics.yaml; every name can be configured.
 *
 * @param raw producers' JSON telemetry (input)
 * @param valid Avro TelemetryEvent records that passed the contract
 * @param dlq records that did not, with the reason in headers
 * @param health HealthCheck evaluations
 * @param alerts signed wpe.alert payloads
 */
public record Topics(String raw, String valid, String dlq, String health, String alerts) {

  public static final Topics DEFAULTS =
      new Topics(
          "kfm.telemetry.raw",
          "kfm.telemetry.valid",
          "kfm.telemetry.dlq",
          "kfm.telemetry.health",
          "kfm.telemetry.alerts");

  public Topics {
    Objects.requireNonNull(raw, "topics.raw");
    Objects.requireNonNull(valid, "topics.valid");
    Objects.requireNonNull(dlq, "topics.dlq");
    Objects.requireNonNull(health, "topics.health");
    Objects.requireNonNull(alerts, "topics.alerts");
  }
}
