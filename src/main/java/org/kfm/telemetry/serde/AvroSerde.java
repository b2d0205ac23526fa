package org.kfm.telemetry.serde;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * An {@link AvroSerializer} and {@link AvroDeserializer} configured together and sharing one
 * registry client (and so its caches); reads generic or specific records as {@code
 * specific.avro.reader} says. Use {@link SpecificAvroSerde} or {@link GenericAvroSerde} where
 * Confluent's serde of that name was configured.
 *
 * @param <T> the record type
 */
public class AvroSerde<T> implements Serde<T> {

  private final AvroSerializer<T> serializer;
  private final AvroDeserializer<T> deserializer;
  private final SchemaRegistryClient suppliedClient;

  /** A serde whose registry comes from {@code schema.registry.url} at {@link #configure}. */
  public AvroSerde() {
    this(null);
  }

  /** A serde that uses {@code client}. */
  public AvroSerde(SchemaRegistryClient client) {
    this.suppliedClient = client;
    this.serializer = new AvroSerializer<>(client);
    this.deserializer = new AvroDeserializer<>(client);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AvroSerdeConfig config = adjust(AvroSerdeConfig.parse(configs, suppliedClient != null));
    SchemaRegistryClient client =
        suppliedClient != null ? suppliedClient : SchemaRegistryClient.forConfig(config.registry());
    serializer.configure(config, client, isKey);
    deserializer.configure(config, client);
  }

  /** Lets a subclass fix a setting whatever the configuration says. */
  AvroSerdeConfig adjust(AvroSerdeConfig config) {
    return config;
  }

  @Override
  public AvroSerializer<T> serializer() {
    return serializer;
  }

  @Override
  public AvroDeserializer<T> deserializer() {
    return deserializer;
  }
}
