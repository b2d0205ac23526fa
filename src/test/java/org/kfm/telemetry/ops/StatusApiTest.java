package org.kfm.telemetry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.SloVerdict;
import org.kfm.telemetry.avro.VerdictStatus;
import org.kfm.telemetry.testing.Ports;

/**
 * The status page and its JSON over real HTTP: the page's files, the history of each scope across
 * instances, the {@code hours} parameter, the state of every instance, the dead-letter summary with
 * the rates of all instances summed.
 */
class StatusApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<AutoCloseable> started = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : started) {
      c.close();
    }
  }

  /** A source holding the evaluations of {@code scopes}, one per hour, ending an hour ago. */
  private static HealthChecksSource history(String... scopes) {
    return new HealthChecksSource() {
      @Override
      public List<HealthCheck> latest() {
        return List.of();
      }

      @Override
      public Map<String, List<HealthCheck>> history(Collection<String> asked, Instant from) {
        Map<String, List<HealthCheck>> out = new LinkedHashMap<>();
        Instant end = Instant.now().minus(Duration.ofHours(1));
        for (String scope : scopes) {
          if (!asked.isEmpty() && !asked.contains(scope)) {
            continue;
          }
          List<HealthCheck> checks = new ArrayList<>();
          for (int h = 30; h >= 0; h--) {
            Instant windowEnd = end.minus(Duration.ofHours(h));
            if (!windowEnd.isBefore(from)) {
              checks.add(check(scope, windowEnd, h % 2 == 0 ? 80.0 : 95.0));
            }
          }
          out.put(scope, checks);
        }
        return out;
      }
    };
  }

  private static HealthCheck check(String scope, Instant end, double energy) {
    return HealthCheck.newBuilder()
        .setScope(scope)
        .setWindowStart(end.minus(Duration.ofHours(24)))
        .setWindowEnd(end)
        .setWindowHours(24)
        .setRunsChecked(20)
        .setRunsWithTrace(20)
        .setRunsWithEnergyReport((int) (energy / 5))
        .setTraceCoveragePct(100.0)
        .setEnergyReportCoveragePct(energy)
        .setTraceSloPct(95.0)
        .setEnergySloPct(90.0)
        .setMinRuns(10)
        .setLastRunChecked(end)
        .setVerdicts(
            List.of(
                new SloVerdict("KFM-TELEM-TRACE-001", VerdictStatus.PASS, "ok"),
                new SloVerdict(
                    "KFM-TELEM-ENERGY-001",
                    energy < 90 ? VerdictStatus.FAIL : VerdictStatus.PASS,
                    "energy")))
        .build();
  }

  private OpsServer start(
      String state, HealthChecksSource checks, List<String> peers, Recent recent) {
    return start(() -> state, checks, peers, recent);
  }

  private OpsServer start(
      StreamsStatus status, HealthChecksSource checks, List<String> peers, Recent recent) {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OpsServer server = OpsServer.start("127.0.0.1", 0, status, meters, checks, () -> peers, recent);
    started.add(server);
    started.add(meters::close);
    return server;
  }

  private HttpResponse<String> get(OpsServer server, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldServeThePageItsScriptAndStyleFromTheJar() throws Exception {
    OpsServer server = start("RUNNING", List::of, List.of(), Recent.NONE);

    HttpResponse<String> page = get(server, "/");
    HttpResponse<String> script = get(server, "/page/app.js");
    HttpResponse<String> style = get(server, "/page/app.css");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
    assertThat(page.body())
        .contains("<title>KFM Telemetry Streams: status</title>")
        .contains("src=\"/page/app.js\"")
        .doesNotContain("http://", "https://");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(script.body()).contains("/api/health-checks/history");
    assertThat(style.statusCode()).isEqualTo(200);
    assertThat(get(server, "/page/other.js").statusCode()).isEqualTo(404);
  }

  @Test
  void shouldAnswerTheHistoryOfEveryInstancesScopesForTheHoursAsked() throws Exception {
    // Given two instances, each holding the history of its own scopes
    OpsServer other = start("RUNNING", history("b.pipeline", "*"), List.of(), Recent.NONE);
    OpsServer server =
        start("RUNNING", history("a.pipeline"), List.of("127.0.0.1:" + other.port()), Recent.NONE);

    // When one is asked for every scope, for two named scopes, and for its own only
    JsonNode all = JSON.readTree(get(server, "/api/health-checks/history").body());
    JsonNode two =
        JSON.readTree(
            get(server, "/api/health-checks/history?scope=a.pipeline&scope=%2A&hours=6").body());
    JsonNode local = JSON.readTree(get(server, "/api/health-checks/history?local=true").body());

    // Then it answers for the whole application, sorted by scope, within the hours asked
    assertThat(all.get("history").findValuesAsText("scope"))
        .containsExactly("*", "a.pipeline", "b.pipeline");
    assertThat(all.get("hours").asInt()).isEqualTo(24);
    assertThat(all.get("partial").asBoolean()).isFalse();
    JsonNode points = all.get("history").get(1).get("points");
    assertThat(points).hasSize(24);
    assertThat(points.get(0).get("window_end").asText())
        .isLessThan(points.get(23).get("window_end").asText());
    assertThat(points.findValuesAsText("status")).containsOnly("PASS", "FAIL");
    assertThat(all.get("history").get(1).get("energy_slo_pct").asDouble()).isEqualTo(90.0);
    assertThat(two.get("history").findValuesAsText("scope")).containsExactly("*", "a.pipeline");
    assertThat(two.get("history").get(0).get("points")).hasSize(6);
    assertThat(local.get("history").findValuesAsText("scope")).containsExactly("a.pipeline");
  }

  @Test
  void shouldRefuseHoursOutsideOneToTwentyFourWithTheReason() throws Exception {
    OpsServer server = start("RUNNING", history("a"), List.of(), Recent.NONE);

    for (String hours : List.of("0", "25", "abc", "1.5")) {
      for (String path :
          List.of("/api/health-checks/history", "/api/alerts/recent", "/api/dlq/summary")) {
        HttpResponse<String> response = get(server, path + "?hours=" + hours);
        assertThat(response.statusCode()).as(path + " hours=" + hours).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asText())
            .isEqualTo("hours must be a whole number from 1 to 24");
      }
    }
  }

  @Test
  void shouldAnswerTheHistoryOnlyWhileRunning() throws Exception {
    OpsServer server = start("REBALANCING", history("a"), List.of(), Recent.NONE);

    HttpResponse<String> response = get(server, "/api/health-checks/history");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(response.body()).get("state").asText()).isEqualTo("REBALANCING");
  }

  @Test
  void shouldGiveTheStateOfThisInstanceAndOfEveryOther() throws Exception {
    OpsServer rebalancing = start("REBALANCING", List::of, List.of(), Recent.NONE);
    String down = "127.0.0.1:" + Ports.unused();
    String other = "127.0.0.1:" + rebalancing.port();
    OpsServer server = start("RUNNING", List::of, List.of(other, down), Recent.NONE);

    JsonNode status = JSON.readTree(get(server, "/api/status").body());

    assertThat(status.get("state").asText()).isEqualTo("RUNNING");
    assertThat(Instant.parse(status.get("taken_at").asText())).isBeforeOrEqualTo(Instant.now());
    assertThat(status.get("peers").findValuesAsText("instance")).containsExactly(other, down);
    assertThat(status.get("peers").findValuesAsText("state"))
        .containsExactly("REBALANCING", "UNREACHABLE");
    assertThat(status.has("stalled")).isFalse();
  }

  @Test
  void shouldSayWhyRecordsAreStalledHereAndOnTheOtherInstances() throws Exception {
    String why = "stream thread StreamThread-1 has not polled for 24 s: blocked in Kafka (...)";
    StreamsStatus blocked =
        new StreamsStatus() {
          @Override
          public String state() {
            return "RUNNING";
          }

          @Override
          public String stalled() {
            return why;
          }
        };
    OpsServer other = start(blocked, List::of, List.of(), Recent.NONE);
    OpsServer server = start(blocked, List::of, List.of("127.0.0.1:" + other.port()), Recent.NONE);

    JsonNode status = JSON.readTree(get(server, "/api/status").body());

    assertThat(status.get("state").asText()).isEqualTo("RUNNING");
    assertThat(status.get("stalled").asText()).isEqualTo(why);
    assertThat(status.get("peers").findValuesAsText("stalled")).containsExactly(why);
  }

  @Test
  void shouldSumTheRatesOfEveryInstanceUnderTheDeadLettersOfTheTopic() throws Exception {
    // Given a dead-letter summary read from the topic, and two instances
    AtomicReference<Duration> asked = new AtomicReference<>();
    Recent recent =
        new Recent() {
          @Override
          public ObjectNode alerts(Duration span) {
            return Recent.NONE.alerts(span);
          }

          @Override
          public ObjectNode deadLetters(Duration span) {
            asked.set(span);
            ObjectNode out = JsonNodeFactory.instance.objectNode().put("dead_letters", 7);
            out.putArray("by_rule").addObject().put("rule", "KFM-TS-001").put("count", 7);
            return out;
          }

          @Override
          public void close() {}
        };
    OpsServer other = start("RUNNING", List::of, List.of(), recent);
    OpsServer server = start("RUNNING", List::of, List.of("127.0.0.1:" + other.port()), recent);

    // When the summary is asked for the last 3 hours
    JsonNode summary = JSON.readTree(get(server, "/api/dlq/summary?hours=3").body());

    // Then the topic's counts come once, and the rates of both instances are added up
    assertThat(asked.get()).isEqualTo(Duration.ofHours(3));
    assertThat(summary.get("dead_letters").asLong()).isEqualTo(7);
    assertThat(summary.get("by_rule").get(0).get("rule").asText()).isEqualTo("KFM-TS-001");
    assertThat(summary.get("rates").get("instances").asInt()).isEqualTo(2);
    assertThat(summary.get("rates").has("valid_per_second")).isTrue();
    assertThat(summary.get("partial").asBoolean()).isFalse();
  }
}
