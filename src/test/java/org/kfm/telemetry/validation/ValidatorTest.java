package org.kfm.telemetry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.contract.Envelope;

class ValidatorTest {

  private final Validator validator =
      new Validator(
          ValidatorOptions.defaults()
              .withClock(Clock.fixed(ContractCatalogueTest.NOW, ZoneOffset.UTC)));

  @Test
  void shouldReturnTheParsedPayloadAndKindOfAValidRecord() {
    Verdict verdict = validator.validate(ContractCatalogue.seed("pipeline-run-completed"));

    assertThat(verdict.valid()).isTrue();
    assertThat(verdict.payload().path("run").path("run_id").asText())
        .isEqualTo("01J0M7Q8J7Y7P4B9D1M2ZK0E7A");
    assertThat(verdict.envelope()).isEqualTo(Envelope.BARE);
    assertThat(verdict.secretFound()).isFalse();
  }

  @Test
  void shouldUnwrapStructuredCloudEventAndPointIntoData() throws Exception {
    ObjectNode payload =
        (ObjectNode) ContractCatalogue.MAPPER.readTree(ContractCatalogue.seed("pipeline-step"));
    payload.put("level", "loud");
    ObjectNode event =
        ContractCatalogue.MAPPER
            .createObjectNode()
            .put("specversion", "1.0")
            .put("id", "evt-42")
            .put("source", "/kfm/ingest")
            .put("type", "org.kfm.telemetry.pipeline.step")
            .put("time", "2026-01-23T18:42:15Z");
    event.set("data", payload);

    Verdict verdict = validator.validate(ContractCatalogue.MAPPER.writeValueAsBytes(event));

    assertThat(verdict.envelope().mode()).isEqualTo(Envelope.Mode.CLOUDEVENTS_STRUCTURED);
    assertThat(verdict.envelope().id()).isEqualTo("evt-42");
    assertThat(verdict.envelope().time()).isEqualTo("2026-01-23T18:42:15Z");
    assertThat(verdict.errors())
        .extracting(Finding::rule, Finding::path)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("KFM-META-005", "/data/level"));
    assertThat(verdict.payload().path("kind").asText()).isEqualTo("pipeline.step");
  }

  @Test
  void shouldPointSchemaFindingsIntoDataOfAStructuredEventToo() throws Exception {
    ObjectNode payload =
        (ObjectNode) ContractCatalogue.MAPPER.readTree(ContractCatalogue.seed("pipeline-step"));
    payload.putArray("tags").add(1);
    ObjectNode event =
        ContractCatalogue.MAPPER
            .createObjectNode()
            .put("specversion", "1.0")
            .put("id", "e1")
            .put("source", "/kfm")
            .put("type", "t");
    event.set("data", payload);

    Verdict verdict = validator.validate(ContractCatalogue.MAPPER.writeValueAsBytes(event));

    assertThat(verdict.errors())
        .extracting(Finding::rule, Finding::path)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("KFM-SCHEMA-001", "/data/tags/0"));
  }

  @Test
  void shouldReadBinaryModeAttributesFromHeaders() {
    Map<String, byte[]> headers =
        Map.of(
            "ce_specversion",
            bytes("1.0"),
            "ce_id",
            bytes("evt-7"),
            "ce_source",
            bytes("/kfm/ui"),
            "ce_type",
            bytes("org.kfm.telemetry.ui.action"),
            "content-type",
            bytes("application/json; charset=utf-8"));

    Verdict verdict = validator.validate(ContractCatalogue.seed("ui-action"), headers);

    assertThat(verdict.valid()).isTrue();
    assertThat(verdict.envelope().mode()).isEqualTo(Envelope.Mode.CLOUDEVENTS_BINARY);
    assertThat(verdict.envelope().id()).isEqualTo("evt-7");
    assertThat(verdict.envelope().source()).isEqualTo("/kfm/ui");
  }

  @Test
  void shouldReportEverythingWrongInOneRecordNotJustTheFirstThing() {
    String record =
        "{\"schema_version\":\"3.0.0\",\"kind\":\"Pipeline\",\"ts\":\"yesterday\",\"level\":\"loud\","
            + "\"privacy\":{\"classification\":\"secret-ish\"}}";

    Verdict verdict = validator.validate(bytes(record));

    assertThat(verdict.errorRules())
        .containsExactlyInAnyOrder(
            "KFM-META-003",
            "KFM-KIND-001",
            "KFM-TS-001",
            "KFM-META-005",
            "KFM-JOIN-001",
            "KFM-PRIV-001");
    assertThat(verdict.errors())
        .extracting(Finding::path)
        .contains("/schema_version", "/kind", "/ts", "/level", "/privacy/classification");
  }

  @Test
  void shouldBeUsableFromManyThreadsAtOnce() throws Exception {
    byte[] good = ContractCatalogue.seed("focus-query");
    byte[] bad = bytes("{\"kind\":\"x.y\"}");
    Thread[] threads = new Thread[4];
    boolean[] ok = new boolean[threads.length];
    for (int t = 0; t < threads.length; t++) {
      int id = t;
      threads[t] =
          new Thread(
              () -> {
                boolean all = true;
                for (int i = 0; i < 2000; i++) {
                  all &= validator.validate(good).valid() && !validator.validate(bad).valid();
                }
                ok[id] = all;
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(ok).containsOnly(true);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
