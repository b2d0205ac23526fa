package org.kfm.telemetry.serde;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The latest registered version of a subject, as {@code use.latest.version} writes with it: fetched
 * once per (subject, record schema), optionally checked to be able to read the record's schema, and
 * kept for a time to live (forever when it is negative).
 */
final class LatestVersions {

  private record Key(String subject, Schema recordSchema) {}

  private record Entry(RegisteredSchema latest, long fetchedNanos) {}

  private final SchemaRegistryClient client;
  private final boolean strict;
  private final Duration ttl;
  private final LongSupplier nanoTime;
  private final Map<Key, Entry> cache = new ConcurrentHashMap<>();

  LatestVersions(SchemaRegistryClient client, boolean strict, Duration ttl, LongSupplier nanoTime) {
    this.client = client;
    this.strict = strict;
    this.ttl = ttl;
    this.nanoTime = nanoTime;
  }

  /** The subject's latest version, to write a record of {@code recordSchema} with. */
  RegisteredSchema get(String subject, Schema recordSchema) throws SchemaRegistryException {
    Key key = new Key(subject, recordSchema);
    long now = nanoTime.getAsLong();
    Entry entry = cache.get(key);
    if (entry != null && (ttl.isNegative() || now - entry.fetchedNanos() < ttl.toNanos())) {
      return entry.latest();
    }
    RegisteredSchema latest = client.getLatest(subject);
    if (strict
        && SchemaCompatibility.checkReaderWriterCompatibility(latest.schema(), recordSchema)
                .getType()
            != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new SerializationException(
          "The latest schema of subject '"
              + subject
              + "' (version "
              + latest.version()
              + ", id "
              + latest.id()
              + ") cannot read records of schema "
              + recordSchema.getFullName()
              + "; set "
              + AvroSerdeConfig.LATEST_COMPATIBILITY_STRICT
              + "=false to write with it anyway");
    }
    cache.put(key, new Entry(latest, now));
    return latest;
  }
}
