package org.kfm.telemetry.topology;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.kfm.telemetry.alerting.AlertStatus;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.contract.TelemetryEvents;
import org.kfm.telemetry.health.JsonSerde;
import org.kfm.telemetry.health.Pane;
import org.kfm.telemetry.health.RunChange;
import org.kfm.telemetry.health.RunEvent;
import org.kfm.telemetry.health.RunState;
import org.kfm.telemetry.health.ScopeState;
import org.kfm.telemetry.health.StateSerdes;
import org.kfm.telemetry.routing.AcceptedSerde;
import org.kfm.telemetry.routing.EventEncoder;
import org.kfm.telemetry.routing.Routed;
import org.kfm.telemetry.serde.AvroDeserializer;
import org.kfm.telemetry.serde.AvroSerializer;
import org.kfm.telemetry.serde.SpecificAvroSerde;

/**
 * Every serde of the topology, built in one place: the Confluent-wire-format Avro values of {@code
 * kfm.telemetry.valid} and {@code kfm.telemetry.health}, configured with the Avro serdes'
 * properties (Confluent's names; {@code schema.registry.url} is {@code mock://<scope>} in tests),
 * and the values of the internal topics and state stores. Main and the tests build the topology
 * with it; processors never build serdes themselves.
 */
public final class TelemetrySerdes implements AutoCloseable {

  private final SpecificAvroSerde<TelemetryEvent> events = new SpecificAvroSerde<>();
  private final SpecificAvroSerde<HealthCheck> healthChecks = new SpecificAvroSerde<>();
  private final RegistryOutage registryOutage = new RegistryOutage(Clock.systemUTC());
  private final Serde<TelemetryEvent> observedEvents = registryOutage.observe(events);
  private final Serde<HealthCheck> observedHealthChecks = registryOutage.observe(healthChecks);

  private TelemetrySerdes(Map<String, ?> avroConfig) {
    events.configure(avroConfig, false);
    healthChecks.configure(avroConfig, false);
  }

  /**
   * The serdes, with the Avro ones configured by {@code avroConfig} (e.g. {@code
   * schema.registry.url}).
   */
  public static TelemetrySerdes of(Map<String, ?> avroConfig) {
    return new TelemetrySerdes(avroConfig);
  }

  /** {@code kfm.telemetry.valid} values. */
  public Serde<TelemetryEvent> events() {
    return observedEvents;
  }

  /**
   * Accepted payloads as {@code kfm.telemetry.valid} values: the Avro event written straight from
   * the payload ({@link TelemetryEvents#write}, the bytes {@link #events()} makes of {@link
   * TelemetryEvents#toEvent}'s event), under the subject and schema id {@link #events()} uses, with
   * its registry failures observed the same way; built and serialized by {@link #events()} when the
   * subject's writer schema is not the event's own ({@code use.latest.version}).
   */
  public EventEncoder eventEncoder() {
    AvroSerializer<TelemetryEvent> direct = events.serializer();
    Serializer<TelemetryEvent> built = observedEvents.serializer();
    Schema schema = TelemetryEvent.getClassSchema();
    return (topic, headers, payload, envelope, contractVersion, warnings, digest) -> {
      byte[] bytes =
          registryOutage.written(
              topic,
              () ->
                  direct.serialize(
                      topic,
                      schema,
                      out ->
                          TelemetryEvents.write(
                              payload, envelope, contractVersion, warnings, digest, out)));
      return bytes != null
          ? bytes
          : built.serialize(
              topic,
              headers,
              TelemetryEvents.toEvent(payload, envelope, contractVersion, warnings, digest));
    };
  }

  /**
   * {@code kfm.telemetry.valid} values as the health checks read them: the facts read from the
   * event's Avro body without building the event ({@link RunEvent#read}) when it was written with
   * the event's own schema, else taken from the event {@link #events()} decodes; registry failures
   * observed as {@link #events()}'s are. Read only.
   */
  public Serde<RunEvent> runEvents() {
    AvroDeserializer<TelemetryEvent> direct = events.deserializer();
    Deserializer<TelemetryEvent> whole = observedEvents.deserializer();
    Schema schema = TelemetryEvent.getClassSchema();
    return Serdes.serdeFrom(
        (topic, event) -> {
          throw new UnsupportedOperationException("run events are read, never written");
        },
        (topic, bytes) -> {
          RunEvent read =
              registryOutage.read(
                  topic, () -> direct.deserialize(topic, bytes, schema, RunEvent::read));
          if (read != null || bytes == null) {
            return read;
          }
          return RunEvent.of(whole.deserialize(topic, bytes));
        });
  }

  /** {@code kfm.telemetry.health} values. */
  public Serde<HealthCheck> healthChecks() {
    return observedHealthChecks;
  }

  /**
   * Whether the two registry-backed serdes above are failing because the registry is unavailable
   * (the stream is stalled meanwhile).
   */
  public RegistryOutage registryOutage() {
    return registryOutage;
  }

  /**
   * {@code health-history-store} values: Avro's single-object encoding of a HealthCheck (its
   * schema's fingerprint, then the binary record), which needs no registry, so that an internal
   * store adds no subject to it.
   */
  public Serde<HealthCheck> healthHistory() {
    return Serdes.serdeFrom(
        (topic, check) -> {
          try {
            if (check == null) {
              return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            HealthCheck.getEncoder().encode(check, out);
            return out.toByteArray();
          } catch (IOException e) {
            throw new SerializationException("cannot encode a HealthCheck", e);
          }
        },
        (topic, bytes) -> {
          try {
            return bytes == null ? null : HealthCheck.getDecoder().decode(bytes);
          } catch (IOException e) {
            throw new SerializationException("cannot decode a HealthCheck", e);
          }
        });
  }

  /** The de-duplication repartition topic's values. */
  public Serde<Routed.Accepted> accepted() {
    return new AcceptedSerde();
  }

  /** The health-by-scope topic's values. */
  public Serde<RunChange> runChanges() {
    return StateSerdes.runChanges();
  }

  /** {@code health-run-store} values. */
  public Serde<RunState> runStates() {
    return StateSerdes.runStates();
  }

  /** {@code health-scope-panes-store} values. */
  public Serde<Pane> panes() {
    return StateSerdes.panes();
  }

  /** {@code health-scope-store} values. */
  public Serde<ScopeState> scopes() {
    return StateSerdes.scopes();
  }

  /** {@code health-alert-state-store} values. */
  public Serde<AlertStatus> alertStates() {
    return new JsonSerde<>(AlertStatus.class);
  }

  @Override
  public void close() {
    events.close();
    healthChecks.close();
  }
}
