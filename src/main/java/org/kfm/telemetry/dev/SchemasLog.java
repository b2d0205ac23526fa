package org.kfm.telemetry.dev;

/**
 * Where the embedded registry writes its {@code _schemas} entries before applying them: durably (a
 * Kafka topic) or {@link #IN_MEMORY nowhere}. {@link #append} returns only once the entry is
 * stored.
 */
interface SchemasLog extends AutoCloseable {

  /** Keeps nothing: the registry lives and dies with its process. */
  SchemasLog IN_MEMORY =
      new SchemasLog() {
        @Override
        public void append(SchemasTopicFormat.Entry entry) {}

        @Override
        public void close() {}
      };

  /** Stores {@code entry}; a {@link RegistryError} (50001) when it cannot. */
  void append(SchemasTopicFormat.Entry entry);

  @Override
  void close();
}
