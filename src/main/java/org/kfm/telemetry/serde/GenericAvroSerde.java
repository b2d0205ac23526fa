package org.kfm.telemetry.serde;

import org.apache.avro.generic.GenericRecord;

/**
 * A drop-in for Confluent's {@code GenericAvroSerde}: an {@link AvroSerde} that always reads {@link
 * GenericRecord}s ({@code specific.avro.reader=false}).
 */
public class GenericAvroSerde extends AvroSerde<GenericRecord> {

  public GenericAvroSerde() {
    super();
  }

  public GenericAvroSerde(SchemaRegistryClient client) {
    super(client);
  }

  @Override
  AvroSerdeConfig adjust(AvroSerdeConfig config) {
    return config.withSpecificAvroReader(false);
  }
}
