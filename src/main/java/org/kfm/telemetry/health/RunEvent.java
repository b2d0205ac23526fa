package org.kfm.telemetry.health;

import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.Decoder;
import org.kfm.telemetry.avro.TelemetryEvent;

/**
 * What the health checks take from a valid event: its {@link RunFacts}, its event time (the
 * payload's {@code ts} as epoch milliseconds) and {@code ts} as sent. Read from the event's Avro
 * body without building the event ({@link #read}), or taken from a decoded one ({@link #of}): the
 * same either way.
 *
 * @param facts what the event says about its run
 * @param eventTimeMs {@code event_time} in epoch milliseconds (floored)
 * @param ts the payload's {@code ts}
 */
public record RunEvent(RunFacts facts, long eventTimeMs, String ts) {

  private static final Schema EVENT = TelemetryEvent.getClassSchema();

  /** The last field of the event the facts need: the rest of the body is left unread. */
  private static final String LAST_NEEDED = "artifacts";

  /** The facts of a decoded event. */
  public static RunEvent of(TelemetryEvent event) {
    return new RunEvent(
        RunFacts.of(event), event.getEventTime().toEpochMilli(), String.valueOf(event.getTs()));
  }

  /**
   * Reads the facts from the Avro binary body of a {@code TelemetryEvent} written with its own
   * schema (this build's {@code TelemetryEvent.getClassSchema()}), skipping what they do not need
   * and stopping after the last field they need.
   */
  public static RunEvent read(Decoder in) throws IOException {
    String kind = null;
    String ts = null;
    long micros = 0;
    String runId = null;
    String pipeline = null;
    String traceId = null;
    boolean energy = false;
    for (Schema.Field field : EVENT.getFields()) {
      Schema schema = field.schema();
      switch (field.name()) {
        case "kind" -> kind = in.readString();
        case "ts" -> ts = in.readString();
        case "event_time" -> micros = in.readLong();
        case "run" -> {
          Schema run = present(schema, in);
          if (run != null) {
            for (Schema.Field f : run.getFields()) {
              switch (f.name()) {
                case "run_id" -> runId = optionalString(f.schema(), in);
                case "pipeline" -> pipeline = optionalString(f.schema(), in);
                default -> GenericDatumReader.skip(f.schema(), in);
              }
            }
          }
        }
        case "correlation" -> {
          Schema correlation = present(schema, in);
          if (correlation != null) {
            for (Schema.Field f : correlation.getFields()) {
              if (f.name().equals("trace_id")) {
                traceId = optionalString(f.schema(), in);
              } else {
                GenericDatumReader.skip(f.schema(), in);
              }
            }
          }
        }
        case "metrics" -> {
          Schema metrics = present(schema, in);
          if (metrics != null) {
            for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
              for (long i = 0; i < n; i++) {
                energy |= RunFacts.ENERGY_METRIC.equals(in.readString());
                GenericDatumReader.skip(metrics.getValueType(), in);
              }
            }
          }
        }
        case "policy" -> {
          Schema policy = present(schema, in);
          if (policy != null) {
            for (Schema.Field f : policy.getFields()) {
              if (f.name().equals("energy_report_ref")) {
                energy |= optionalString(f.schema(), in) != null;
              } else {
                GenericDatumReader.skip(f.schema(), in);
              }
            }
          }
        }
        case "artifacts" -> {
          Schema artifacts = present(schema, in);
          if (artifacts != null) {
            List<Schema.Field> fields = artifacts.getElementType().getFields();
            for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
              for (long i = 0; i < n; i++) {
                for (Schema.Field f : fields) {
                  if (f.name().equals("type")) {
                    energy |= RunFacts.ENERGY_ARTIFACT.equals(optionalString(f.schema(), in));
                  } else {
                    GenericDatumReader.skip(f.schema(), in);
                  }
                }
              }
            }
          }
        }
        default -> GenericDatumReader.skip(schema, in);
      }
      if (field.name().equals(LAST_NEEDED)) {
        break;
      }
    }
    return new RunEvent(
        RunFacts.of(runId, pipeline, traceId, kind, energy), Math.floorDiv(micros, 1000L), ts);
  }

  /** The branch of an optional union the body holds, or null for its null branch. */
  private static Schema present(Schema union, Decoder in) throws IOException {
    Schema branch = union.getTypes().get(in.readIndex());
    return branch.getType() == Schema.Type.NULL ? null : branch;
  }

  private static String optionalString(Schema union, Decoder in) throws IOException {
    Schema branch = present(union, in);
    if (branch == null) {
      return null;
    }
    if (branch.getType() != Schema.Type.STRING) {
      GenericDatumReader.skip(branch, in);
      return null;
    }
    return in.readString();
  }
}
