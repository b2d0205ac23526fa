package org.kfm.telemetry.routing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Record;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.health.RunFacts;
import org.kfm.telemetry.topology.TelemetrySerdes;
import org.kfm.telemetry.validation.Validator;

/**
 * Runs the service's own per-record path on records that go nowhere, so that the JIT compiles it
 * before the first real records arrive: validation and routing exactly as {@link ValidateProcessor}
 * does it (digest, Avro event, Confluent-wire-format encoding, or the dead letter with its
 * headers), then what the health source does with an accepted event (decoding it, its run's facts).
 * Nothing is written anywhere: the schema registry is an in-memory one of its own and the routing
 * meters a throwaway registry. {@code kfm bench --warmup} measures what it changes for a fresh JVM
 * (docs/benchmarks.md); {@code kfm run} does not warm up, because on two cores the warm-up's time
 * came back as no faster drain overall.
 */
public final class Warmup {

  private Warmup() {}

  /** What a warm-up did: records routed, of which accepted, of which in a run; how long it took. */
  public record Result(int records, int accepted, int inRuns, Duration took) {}

  /**
   * Routes {@code records} (raw records, e.g. generated traffic) until they are done or {@code
   * budget} has passed.
   */
  public static Result run(
      AppConfig config, Iterable<ProducerRecord<byte[], byte[]>> records, Duration budget) {
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    int done = 0;
    int accepted = 0;
    int inRuns = 0;
    try (TelemetrySerdes serdes =
        TelemetrySerdes.of(Map.of("schema.registry.url", "mock://kfm-warmup-" + start))) {
      String valid = config.topics().valid();
      ValidateProcessor router =
          new ValidateProcessor(
              new Validator(config.validator()),
              serdes.eventEncoder(),
              valid,
              new RoutingMetrics(new SimpleMeterRegistry()),
              "warmup");
      Deserializer<TelemetryEvent> events = serdes.events().deserializer();
      for (ProducerRecord<byte[], byte[]> raw : records) {
        if (System.nanoTime() - deadline > 0) {
          break;
        }
        long timestamp = raw.timestamp() == null ? 0 : raw.timestamp();
        Record<byte[], Routed> routed =
            router.route(new Record<>(raw.key(), raw.value(), timestamp, raw.headers()));
        if (routed.value() instanceof Routed.Accepted event) {
          accepted++;
          TelemetryEvent decoded = events.deserialize(valid, event.event());
          if (RunFacts.of(decoded).runId() != null) {
            inRuns++;
          }
        }
        done++;
      }
    }
    return new Result(done, accepted, inRuns, Duration.ofNanos(System.nanoTime() - start));
  }
}
