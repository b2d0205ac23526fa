package org.kfm.telemetry.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kfm.telemetry.config.AlertSigning;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.contract.Ed25519Keys;
import org.kfm.telemetry.topology.TelemetrySerdes;
import org.kfm.telemetry.topology.TelemetryTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kfm topology}: prints the Kafka Streams topology (its nodes, stores and topics). */
@Command(
    name = "topology",
    mixinStandardHelpOptions = true,
    description =
        "Print the service's Kafka Streams topology (Topology#describe()) as kfm run builds it with the "
            + "default settings: the default topic names, health checks and signed alerts on.")
final class TopologyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    // Describing needs no registry (serializers are only created, never called) and no real key
    // (nothing is signed): a throwaway key gives the alert nodes kfm run has by default.
    KeyPair key = throwawayKey();
    AppConfig config =
        AppConfig.defaults()
            .withHealth(
                AppConfig.defaults()
                    .health()
                    .withSigning(
                        new AlertSigning(key.getPrivate(), Ed25519Keys.keyId(key.getPublic()))));
    try (TelemetrySerdes serdes =
        TelemetrySerdes.of(Map.of("schema.registry.url", "mock://kfm-topology-describe"))) {
      spec.commandLine()
          .getOut()
          .print(
              TelemetryTopology.build(
                      config, serdes, new SimpleMeterRegistry(), KfmCommand.version())
                  .describe());
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static KeyPair throwawayKey() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }
}
