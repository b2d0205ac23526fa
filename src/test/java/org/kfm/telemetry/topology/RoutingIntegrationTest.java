package org.kfm.telemetry.topology;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.kfm.telemetry.testing.FakeSchemaRegistry;
import org.kfm.telemetry.testing.InProcessKafka;

/**
 * {@link RoutingEndToEndScenario} on a real single-broker KRaft cluster started in this JVM (no
 * Docker).
 */
class RoutingIntegrationTest extends RoutingEndToEndScenario {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  @Override
  protected String bootstrapServers() {
    return KAFKA.bootstrapServers();
  }

  @Override
  protected FakeSchemaRegistry registry() {
    return KAFKA.registry();
  }
}
