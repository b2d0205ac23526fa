package org.kfm.telemetry.serde;

import org.apache.avro.specific.SpecificRecord;

/**
 * A drop-in for Confluent's {@code SpecificAvroSerde}: an {@link AvroSerde} that always reads into
 * the generated classes ({@code specific.avro.reader=true}).
 *
 * @param <T> the generated record type
 */
public class SpecificAvroSerde<T extends SpecificRecord> extends AvroSerde<T> {

  public SpecificAvroSerde() {
    super();
  }

  public SpecificAvroSerde(SchemaRegistryClient client) {
    super(client);
  }

  @Override
  AvroSerdeConfig adjust(AvroSerdeConfig config) {
    return config.withSpecificAvroReader(true);
  }
}
