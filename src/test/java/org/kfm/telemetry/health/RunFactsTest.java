package org.kfm.telemetry.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kfm.telemetry.contract.Envelope;
import org.kfm.telemetry.contract.TelemetryEvents;

/** What the run tracker takes from each valid event. */
class RunFactsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The completed-run seed example (an energy report by artifact, metric and policy reference) with
   * a W3C trace id, then {@code change}.
   */
  private static RunFacts factsOf(Consumer<ObjectNode> change) throws IOException {
    ObjectNode payload;
    try (InputStream in =
        RunFactsTest.class.getResourceAsStream("/seed-examples/pipeline-run-completed.json")) {
      payload = (ObjectNode) MAPPER.readTree(in);
    }
    payload.putObject("correlation").put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
    change.accept(payload);
    return RunFacts.of(TelemetryEvents.toEvent(payload, Envelope.BARE, "2.0.0", List.of()));
  }

  @Test
  void takesTheRunItsPipelineAndWhetherItEnds() throws IOException {
    RunFacts facts = factsOf(p -> {});

    assertThat(facts.runId()).isEqualTo("01J0M7Q8J7Y7P4B9D1M2ZK0E7A");
    assertThat(facts.pipeline()).isEqualTo("kfm.ingest.hydrology.river_gauges");
    assertThat(facts.trace()).isTrue();
    assertThat(facts.energy()).isTrue();
    assertThat(facts.terminal()).isTrue();
    assertThat(factsOf(p -> p.put("kind", "pipeline.run.failed")).terminal()).isTrue();
    assertThat(factsOf(p -> p.put("kind", "pipeline.step")).terminal()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "00000000000000000000000000000000", // all zero: no trace
        "4BF92F3577B34DA6A3CE929D0E0E4736", // upper case
        "4bf92f3577b34da6a3ce929d0e0e473", // 31 chars
        "4bf92f3577b34da6a3ce929d0e0e47361", // 33 chars
        "4bf92f3577b34da6a3ce929d0e0e473g"
      })
  void aTraceIdThatIsNotW3cIsNoTrace(String traceId) throws IOException {
    assertThat(factsOf(p -> ((ObjectNode) p.get("correlation")).put("trace_id", traceId)).trace())
        .isFalse();
  }

  @Test
  void noCorrelationIsNoTrace() throws IOException {
    assertThat(factsOf(p -> p.remove("correlation")).trace()).isFalse();
    assertThat(
            factsOf(
                    p ->
                        ((ObjectNode) p.get("correlation"))
                            .put("trace_id", "0af7651916cd43dd8448eb211c80319c"))
                .trace())
        .isTrue();
  }

  @Test
  void anEnergyReportIsAnArtifactAPolicyReferenceOrAMetric() throws IOException {
    Consumer<ObjectNode> noEnergy =
        p -> {
          ((ObjectNode) p.get("metrics")).remove("energy_kwh_est");
          ArrayNode artifacts = (ArrayNode) p.get("artifacts");
          for (int i = artifacts.size() - 1; i >= 0; i--) {
            if (artifacts.get(i).path("type").asText().equals("energy_report")) {
              artifacts.remove(i);
            }
          }
          ((ObjectNode) p.get("policy")).remove("energy_report_ref");
        };

    assertThat(factsOf(noEnergy).energy()).isFalse();
    List<Consumer<ObjectNode>> reports =
        List.of(
            p -> ((ObjectNode) p.get("metrics")).put("energy_kwh_est", 0.5),
            p ->
                ((ArrayNode) p.get("artifacts"))
                    .addObject()
                    .put("type", "energy_report")
                    .put("ref", "data/audits/x/energy_report.json"),
            p ->
                ((ObjectNode) p.get("policy"))
                    .put("energy_report_ref", "data/audits/x/energy_report.json"));
    for (Consumer<ObjectNode> report : reports) {
      assertThat(factsOf(noEnergy.andThen(report)).energy()).isTrue();
    }
  }
}
