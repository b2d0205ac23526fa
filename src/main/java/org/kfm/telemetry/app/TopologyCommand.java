package org.kfm.telemetry.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.topology.TelemetrySerdes;
import org.kfm.telemetry.topology.TelemetryTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kfm topology}: prints the Kafka Streams topology (its nodes, stores and topics). */
@Command(name = "topology", mixinStandardHelpOptions = true,
    description = "Print the service's Kafka Streams topology (Topology#describe()) with the default topic names.")
final class TopologyCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    // Describing needs no registry: serializers are only created, never called.
    try (TelemetrySerdes serdes = TelemetrySerdes.of(Map.of("schema.registry.url", "mock://kfm-topology-describe"))) {
      spec.commandLine().getOut().print(TelemetryTopology.build(AppConfig.defaults(), serdes, new SimpleMeterRegistry(),
          KfmCommand.version()).describe());
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
