package org.kfm.telemetry.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.SloVerdict;
import org.kfm.telemetry.avro.VerdictStatus;
import org.kfm.telemetry.health.HealthHistory;

/**
 * The status page ({@code GET /}, its script and style from the jar) and the JSON behind it: {@code
 * /api/status}, {@code /api/health-checks/history}, {@code /api/alerts/recent} and {@code
 * /api/dlq/summary}. Each answers for the whole application: the history and the record rates by
 * asking the other instances for their part ({@code ?local=true}), the alerts and dead letters from
 * {@link Recent}, which reads every partition of their topics.
 */
final class StatusApi {

  static final String PAGE_RESOURCES = "/org/kfm/telemetry/ops/page/";
  private static final Map<String, String> ASSETS =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/page/app.js", "app.js",
          "/page/app.css", "app.css");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StreamsStatus status;
  private final HealthChecksSource healthChecks;
  private final Recent recent;
  private final RecordRates rates;
  private final OpsServer.Peers peers;
  private final PeerClient client;
  private final Clock clock;

  StatusApi(
      StreamsStatus status,
      HealthChecksSource healthChecks,
      Recent recent,
      RecordRates rates,
      OpsServer.Peers peers,
      PeerClient client,
      Clock clock) {
    this.status = status;
    this.healthChecks = healthChecks;
    this.recent = recent;
    this.rates = rates;
    this.peers = peers;
    this.client = client;
    this.clock = clock;
  }

  void register(HttpServer server) {
    server.createContext("/", OpsServer.guarded(this::asset));
    server.createContext("/api/status", OpsServer.guarded(this::status));
    server.createContext("/api/health-checks/history", OpsServer.guarded(this::history));
    server.createContext("/api/alerts/recent", OpsServer.guarded(this::alerts));
    server.createContext("/api/dlq/summary", OpsServer.guarded(this::deadLetters));
  }

  private void asset(HttpExchange ex) throws IOException {
    String name = ASSETS.get(ex.getRequestURI().getPath());
    if (name == null) {
      OpsServer.send(ex, 404, "text/plain; charset=utf-8", "not found\n");
      return;
    }
    byte[] body;
    try (InputStream in = StatusApi.class.getResourceAsStream(PAGE_RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("page resource " + name + " is missing from the jar");
      }
      body = in.readAllBytes();
    }
    String type =
        name.endsWith(".html")
            ? "text/html; charset=utf-8"
            : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'");
    OpsServer.send(ex, 200, type, body);
  }

  private void status(HttpExchange ex) throws IOException {
    ObjectNode out = JSON.createObjectNode();
    out.put("state", status.state());
    String stalled = status.stalled();
    if (stalled != null) {
      out.put("stalled", stalled);
    }
    out.put("taken_at", Instant.now(clock).toString());
    if (!PeerClient.localOnly(ex.getRequestURI().getRawQuery())) {
      List<String> asked = peers.others();
      PeerClient.Answers answers = client.ask(asked, "/api/status", null);
      ArrayNode others = out.putArray("peers");
      for (String peer : asked) {
        JsonNode answer = answers.byPeer().get(peer);
        ObjectNode other =
            others
                .addObject()
                .put("instance", peer)
                .put("state", answer == null ? "UNREACHABLE" : answer.path("state").asText());
        if (answer != null && answer.hasNonNull("stalled")) {
          other.put("stalled", answer.get("stalled").asText());
        }
      }
    }
    OpsServer.send(ex, 200, OpsServer.JSON_TYPE, out.toString());
  }

  private void history(HttpExchange ex) throws IOException {
    if (OpsServer.notReady(ex, status)) {
      return;
    }
    Query query = Query.parse(ex.getRequestURI().getRawQuery());
    Duration span = hours(ex, query);
    if (span == null) {
      return;
    }
    Set<String> scopes = new LinkedHashSet<>(query.all("scope"));
    Map<String, ObjectNode> byScope = new TreeMap<>();
    healthChecks
        .history(scopes, Instant.now(clock).minus(span))
        .forEach((scope, checks) -> byScope.put(scope, history(scope, checks)));
    ObjectNode out = JSON.createObjectNode();
    out.put("hours", span.toHours());
    out.put("taken_at", Instant.now(clock).toString());
    if (query.localOnly()) {
      out.putArray("history").addAll(byScope.values());
      OpsServer.send(ex, 200, OpsServer.JSON_TYPE, out.toString());
      return;
    }
    PeerClient.Answers answers =
        client.ask(peers.others(), "/api/health-checks/history", query.withoutLocal());
    for (JsonNode answer : answers.answers()) {
      for (JsonNode scope : answer.path("history")) {
        // during a rebalance two instances may both hold a scope: keep the longer history
        ObjectNode mine = byScope.get(scope.path("scope").asText());
        if (mine == null || mine.path("points").size() < scope.path("points").size()) {
          byScope.put(scope.path("scope").asText(), (ObjectNode) scope);
        }
      }
    }
    out.putArray("history").addAll(byScope.values());
    OpsServer.send(ex, 200, OpsServer.JSON_TYPE, answers.mark(out).toString());
  }

  /** One scope's trend: a point per evaluation, oldest first. */
  static ObjectNode history(String scope, List<HealthCheck> checks) {
    ObjectNode out = JSON.createObjectNode();
    out.put("scope", scope);
    HealthCheck last = checks.get(checks.size() - 1);
    out.put("trace_slo_pct", last.getTraceSloPct());
    out.put("energy_slo_pct", last.getEnergySloPct());
    ArrayNode points = out.putArray("points");
    for (HealthCheck c : checks) {
      points
          .addObject()
          .put("window_end", c.getWindowEnd().toString())
          .put("revision", c.getRevision())
          .put("runs_checked", c.getRunsChecked())
          .put("trace_coverage_pct", c.getTraceCoveragePct())
          .put("energy_report_coverage_pct", c.getEnergyReportCoveragePct())
          .put("status", status(c.getVerdicts()));
    }
    return out;
  }

  /** FAIL if any verdict failed, PASS if all passed, else NO_VERDICT. */
  static String status(List<SloVerdict> verdicts) {
    if (verdicts.stream().anyMatch(v -> v.getStatus() == VerdictStatus.FAIL)) {
      return "FAIL";
    }
    return !verdicts.isEmpty()
            && verdicts.stream().allMatch(v -> v.getStatus() == VerdictStatus.PASS)
        ? "PASS"
        : "NO_VERDICT";
  }

  private void alerts(HttpExchange ex) throws IOException {
    Query query = Query.parse(ex.getRequestURI().getRawQuery());
    Duration span = hours(ex, query);
    if (span == null) {
      return;
    }
    ObjectNode out = recent.alerts(span);
    out.put("taken_at", Instant.now(clock).toString());
    OpsServer.send(ex, 200, OpsServer.JSON_TYPE, out.toString());
  }

  private void deadLetters(HttpExchange ex) throws IOException {
    Query query = Query.parse(ex.getRequestURI().getRawQuery());
    Duration span = hours(ex, query);
    if (span == null) {
      return;
    }
    ObjectNode local = rates.json();
    if (query.localOnly()) {
      ObjectNode out = JSON.createObjectNode();
      out.set("rates", local);
      OpsServer.send(ex, 200, OpsServer.JSON_TYPE, out.toString());
      return;
    }
    ObjectNode out = recent.deadLetters(span);
    out.put("taken_at", Instant.now(clock).toString());
    PeerClient.Answers answers = client.ask(peers.others(), "/api/dlq/summary", null);
    ObjectNode sum = local.deepCopy();
    for (JsonNode answer : answers.answers()) {
      answer
          .path("rates")
          .fields()
          .forEachRemaining(
              f -> {
                if (f.getKey().endsWith("_per_second")) {
                  sum.put(
                      f.getKey(),
                      Math.round((sum.path(f.getKey()).asDouble() + f.getValue().asDouble()) * 10)
                          / 10.0);
                } else if (f.getKey().endsWith("_total")) {
                  sum.put(f.getKey(), sum.path(f.getKey()).asLong() + f.getValue().asLong());
                }
              });
    }
    sum.put("instances", 1 + answers.answers().size());
    out.set("rates", sum);
    OpsServer.send(ex, 200, OpsServer.JSON_TYPE, answers.mark(out).toString());
  }

  /** The {@code hours} parameter (default 24, at most 24), or null after answering 400. */
  private static Duration hours(HttpExchange ex, Query query) throws IOException {
    List<String> given = query.all("hours");
    long max = HealthHistory.LONGEST.toHours();
    if (given.isEmpty()) {
      return Duration.ofHours(max);
    }
    try {
      long hours = Long.parseLong(given.get(given.size() - 1));
      if (hours >= 1 && hours <= max) {
        return Duration.ofHours(hours);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    ObjectNode error =
        JSON.createObjectNode()
            .put("error", "hours must be a whole number from 1 to " + max)
            .put("hours", given.get(given.size() - 1));
    OpsServer.send(ex, 400, OpsServer.JSON_TYPE, error.toString());
    return null;
  }

  /** A request's query parameters, decoded, in order. */
  record Query(List<Map.Entry<String, String>> params, String raw) {

    static Query parse(String raw) {
      List<Map.Entry<String, String>> params = new ArrayList<>();
      if (raw != null && !raw.isEmpty()) {
        for (String part : raw.split("&")) {
          int eq = part.indexOf('=');
          String name = eq < 0 ? part : part.substring(0, eq);
          String value = eq < 0 ? "" : part.substring(eq + 1);
          params.add(
              Map.entry(
                  URLDecoder.decode(name, StandardCharsets.UTF_8),
                  URLDecoder.decode(value, StandardCharsets.UTF_8)));
        }
      }
      return new Query(params, raw == null ? "" : raw);
    }

    List<String> all(String name) {
      return params.stream().filter(p -> p.getKey().equals(name)).map(Map.Entry::getValue).toList();
    }

    boolean localOnly() {
      return PeerClient.localOnly(raw);
    }

    /** The raw query without {@code local=true}, to pass on to peers. */
    String withoutLocal() {
      return String.join(
          "&",
          List.of(raw.split("&")).stream()
              .filter(p -> !p.isEmpty() && !p.equals(PeerClient.LOCAL_ONLY))
              .toList());
    }
  }
}
