package org.kfm.telemetry.topology;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.kfm.telemetry.routing.Failures;

/**
 * Whether the topology's registry-backed serdes are failing for the infrastructure (the schema
 * registry unreachable, failing, or refusing us: {@link Failures#isInfrastructure}): such a failure
 * fails the task rather than dead-lettering the record, so the stream stalls until the registry is
 * back, and this says so (for {@code /readyz}). A failure is noted per serde direction and topic
 * when a serializer or deserializer throws, and forgotten when the same one next succeeds (the
 * retried record went through). Thread-safe; costs one map look-up per record.
 */
public final class RegistryOutage {

  /** Since when the serdes fail, and the latest failure's message. */
  public record Failure(Instant since, String reason) {}

  private static final int MAX_REASON = 300;

  private final Clock clock;
  private final Map<String, Failure> failing = new ConcurrentHashMap<>();

  /** No failure yet; failures are timed by {@code clock}. */
  public RegistryOutage(Clock clock) {
    this.clock = clock;
  }

  /** The oldest failure not yet followed by a success of the same serde, if any. */
  public Optional<Failure> current() {
    return failing.values().stream().min(Comparator.comparing(Failure::since));
  }

  /**
   * {@code the schema registry is unavailable since 2026-01-01T00:00:00Z (message)}, or null when
   * nothing fails.
   */
  public String describe() {
    return current()
        .map(f -> "the schema registry is unavailable since " + f.since() + " (" + f.reason() + ")")
        .orElse(null);
  }

  /** {@code serde} with its serializer and deserializer reporting here; the rest delegated. */
  public <T> Serde<T> observe(Serde<T> serde) {
    return new Observed<>(serde, this);
  }

  void failed(String direction, String topic, RuntimeException error) {
    if (!Failures.isInfrastructure(error)) {
      return;
    }
    String where = direction + " " + topic;
    String message = String.valueOf(error.getMessage()).strip().replaceAll("\\s+", " ");
    String reason =
        message.length() <= MAX_REASON ? message : message.substring(0, MAX_REASON) + "...";
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    failing.merge(
        where, new Failure(now, reason), (old, latest) -> new Failure(old.since(), reason));
  }

  /**
   * What {@code write} (a serialization for {@code topic}) returns, its failure noted or forgotten.
   */
  byte[] written(String topic, Supplier<byte[]> write) {
    return observed("write", topic, write);
  }

  /**
   * What {@code read} (a deserialization for {@code topic}) returns, its failure noted or
   * forgotten.
   */
  <T> T read(String topic, Supplier<T> read) {
    return observed("read", topic, read);
  }

  private <T> T observed(String direction, String topic, Supplier<T> call) {
    try {
      T value = call.get();
      succeeded(direction, topic);
      return value;
    } catch (RuntimeException e) {
      failed(direction, topic, e);
      throw e;
    }
  }

  /** Forgets a failure of this direction and topic; nothing is built unless one is noted. */
  void succeeded(String direction, String topic) {
    if (!failing.isEmpty()) {
      failing.remove(direction + " " + topic);
    }
  }

  private record Observed<T>(Serde<T> serde, RegistryOutage outage) implements Serde<T> {

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
      serde.configure(configs, isKey);
    }

    @Override
    public void close() {
      serde.close();
    }

    @Override
    public Serializer<T> serializer() {
      Serializer<T> inner = serde.serializer();
      return new Serializer<>() {
        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
          inner.configure(configs, isKey);
        }

        @Override
        public byte[] serialize(String topic, T data) {
          return outage.written(topic, () -> inner.serialize(topic, data));
        }

        @Override
        public byte[] serialize(String topic, Headers headers, T data) {
          return outage.written(topic, () -> inner.serialize(topic, headers, data));
        }

        @Override
        public void close() {
          inner.close();
        }
      };
    }

    @Override
    public Deserializer<T> deserializer() {
      Deserializer<T> inner = serde.deserializer();
      return new Deserializer<>() {
        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
          inner.configure(configs, isKey);
        }

        @Override
        public T deserialize(String topic, byte[] data) {
          return outage.read(topic, () -> inner.deserialize(topic, data));
        }

        @Override
        public T deserialize(String topic, Headers headers, byte[] data) {
          return outage.read(topic, () -> inner.deserialize(topic, headers, data));
        }

        @Override
        public T deserialize(String topic, Headers headers, ByteBuffer data) {
          return outage.read(topic, () -> inner.deserialize(topic, headers, data));
        }

        @Override
        public void close() {
          inner.close();
        }
      };
    }
  }
}
