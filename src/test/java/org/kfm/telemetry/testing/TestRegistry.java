package org.kfm.telemetry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link FakeSchemaRegistry} for a test class, started at first use and closed after the class:
 * the one lifecycle of the test registry. {@link InProcessKafka} owns one; a test without the
 * in-process broker registers its own on a static field ({@code @RegisterExtension}).
 */
public final class TestRegistry implements AfterAllCallback {

  private FakeSchemaRegistry registry;

  /** The running registry (started now if it is not yet). */
  public synchronized FakeSchemaRegistry get() {
    if (registry == null) {
      try {
        registry = FakeSchemaRegistry.start();
      } catch (IOException e) {
        throw new UncheckedIOException("the test schema registry did not start", e);
      }
    }
    return registry;
  }

  /** Its {@code http://127.0.0.1:port} URL. */
  public String url() {
    return get().url();
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    close();
  }

  synchronized void close() {
    if (registry != null) {
      registry.close();
      registry = null;
    }
  }
}
