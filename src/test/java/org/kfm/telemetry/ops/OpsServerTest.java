package org.kfm.telemetry.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.SloVerdict;
import org.kfm.telemetry.avro.VerdictStatus;
import org.kfm.telemetry.testing.Ports;

/** The ops endpoints over real HTTP on an ephemeral port, with a settable streams state. */
class OpsServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicReference<String> state = new AtomicReference<>("REBALANCING");
  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicReference<List<String>> peers = new AtomicReference<>(List.of());
  private OpsServer server;

  @BeforeEach
  void start() {
    server =
        OpsServer.start(
            "127.0.0.1",
            0,
            state::get,
            meters,
            () -> List.of(check("ci.daily.healthcheck")),
            peers::get,
            Recent.NONE);
  }

  @AfterEach
  void stop() {
    server.close();
    meters.close();
  }

  private static HealthCheck check(String scope) {
    return HealthCheck.newBuilder()
        .setScope(scope)
        .setWindowStart(Instant.parse("2026-01-01T00:00:00Z"))
        .setWindowEnd(Instant.parse("2026-01-02T00:00:00Z"))
        .setWindowHours(24)
        .setRunsChecked(48)
        .setRunsWithTrace(47)
        .setRunsWithEnergyReport(42)
        .setTraceCoveragePct(97.9)
        .setEnergyReportCoveragePct(87.5)
        .setTraceSloPct(95.0)
        .setEnergySloPct(90.0)
        .setMinRuns(10)
        .setLastRunChecked(null)
        .setVerdicts(
            List.of(new SloVerdict("KFM-TELEM-ENERGY-001", VerdictStatus.FAIL, "87.5 < 90.0")))
        .build();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldBeAliveButNotReadyUntilTheStreamsRun() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> notReady = get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).contains("REBALANCING");

    state.set("RUNNING");

    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void shouldNotBeReadyWhileTheStreamIsStalledAlthoughRunning() throws Exception {
    // Given streams that are RUNNING but stalled (the schema registry is unavailable)
    state.set("RUNNING");
    AtomicReference<String> stalled =
        new AtomicReference<>("the schema registry is unavailable since 2026-01-01T00:00:00Z (x)");
    try (OpsServer stalling =
        OpsServer.start(
            "127.0.0.1",
            0,
            new StreamsStatus() {
              @Override
              public String state() {
                return state.get();
              }

              @Override
              public String stalled() {
                return stalled.get();
              }
            },
            meters,
            List::of,
            peers::get,
            Recent.NONE)) {
      URI readyz = URI.create("http://127.0.0.1:" + stalling.port() + "/readyz");
      HttpRequest get = HttpRequest.newBuilder(readyz).GET().build();

      // When /readyz is asked, Then it is not ready and says why; alive all the same
      HttpResponse<String> notReady = client.send(get, HttpResponse.BodyHandlers.ofString());
      assertThat(notReady.statusCode()).as("/readyz while stalled").isEqualTo(503);
      assertThat(notReady.body())
          .as("/readyz body while stalled")
          .isEqualTo(
              "RUNNING, stalled: the schema registry is unavailable since"
                  + " 2026-01-01T00:00:00Z (x)\n");

      // When the stall is over, Then it is ready again
      stalled.set(null);
      HttpResponse<String> ready = client.send(get, HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as("/readyz once records flow").isEqualTo(200);
      assertThat(ready.body()).isEqualTo("RUNNING\n");
    }
  }

  @Test
  void shouldServeTheRegistrysMetersAsPrometheusText() throws Exception {
    meters.counter("kfm.records", "outcome", "valid").increment(3);

    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(response.body()).contains("kfm_records_total{outcome=\"valid\"} 3.0");
  }

  @Test
  void shouldServeHealthChecksOnlyWhileRunning() throws Exception {
    HttpResponse<String> notReady = get("/api/health-checks");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(notReady.body()).get("state").asText()).isEqualTo("REBALANCING");

    state.set("RUNNING");
    HttpResponse<String> response = get("/api/health-checks");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode first = JSON.readTree(response.body()).get("health_checks").get(0);
    assertThat(first.get("scope").asText()).isEqualTo("ci.daily.healthcheck");
    assertThat(first.get("trace_coverage_pct").asDouble()).isEqualTo(97.9);
    assertThat(first.get("energy_report_coverage_pct").asDouble()).isEqualTo(87.5);
    assertThat(first.get("window_end").asText()).isEqualTo("2026-01-02T00:00:00Z");
    assertThat(first.get("verdicts").get(0).get("status").asText()).isEqualTo("FAIL");
  }

  @Test
  void shouldRefuseAPortInUseWithOneReadableLine() {
    assertThatThrownBy(
            () ->
                OpsServer.start(
                    "127.0.0.1",
                    server.port(),
                    state::get,
                    meters,
                    List::of,
                    List::of,
                    Recent.NONE))
        .isInstanceOf(OpsServer.PortInUseException.class)
        .hasMessage(
            "http.port "
                + server.port()
                + " is already in use; stop the other process or set http.port "
                + "(KFM_HTTP_PORT)");
  }

  @Test
  void shouldAnswerUnknownPathsWith404() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    // an endpoint's path is the whole path, not a prefix of others
    assertThat(get("/metrics/extra").statusCode()).isEqualTo(404);
    assertThat(get("/readyz/").statusCode()).isEqualTo(404);
    assertThat(get("/api/status/x").statusCode()).isEqualTo(404);
    assertThat(get("/readyz?probe=1").statusCode()).isNotEqualTo(404);
  }

  @Test
  void shouldCompleteTheHealthChecksWithThoseOfTheOtherInstancesSortedByScope() throws Exception {
    // Given another instance holding two other scopes
    try (OpsServer other =
        OpsServer.start(
            "127.0.0.1",
            0,
            () -> "RUNNING",
            meters,
            () -> List.of(check("a.first"), check("z.last")),
            List::of,
            Recent.NONE)) {
      peers.set(List.of("127.0.0.1:" + other.port()));
      state.set("RUNNING");

      // When this instance is asked
      JsonNode all = JSON.readTree(get("/api/health-checks").body());
      JsonNode local = JSON.readTree(get("/api/health-checks?local=true").body());

      // Then it answers for the whole application, and with ?local=true for itself only
      assertThat(all.get("health_checks").findValuesAsText("scope"))
          .containsExactly("a.first", "ci.daily.healthcheck", "z.last");
      assertThat(all.get("partial").asBoolean()).isFalse();
      assertThat(all.get("unreachable")).isEmpty();
      assertThat(local.get("health_checks").findValuesAsText("scope"))
          .containsExactly("ci.daily.healthcheck");
      assertThat(local.has("partial")).isFalse();
    }
  }

  @Test
  void shouldMarkTheAnswerPartialAndNameTheInstancesThatDidNotAnswer() throws Exception {
    // Given one instance that is down and one that is still rebalancing
    String down = "127.0.0.1:" + Ports.unused();
    try (OpsServer starting =
        OpsServer.start(
            "127.0.0.1", 0, () -> "REBALANCING", meters, List::of, List::of, Recent.NONE)) {
      String rebalancing = "127.0.0.1:" + starting.port();
      peers.set(List.of(down, rebalancing));
      state.set("RUNNING");

      // When this instance is asked
      HttpResponse<String> response = get("/api/health-checks");

      // Then it still answers with what it has, says so, and names both
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.get("health_checks").findValuesAsText("scope"))
          .containsExactly("ci.daily.healthcheck");
      assertThat(body.get("partial").asBoolean()).isTrue();
      assertThat(body.get("unreachable").findValuesAsText("instance"))
          .containsExactly(down, rebalancing);
      assertThat(body.get("unreachable").get(1).get("error").asText())
          .contains("HTTP 503")
          .contains("REBALANCING");
    }
  }
}
