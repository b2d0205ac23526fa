package org.kfm.telemetry.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.kfm.telemetry.avro.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops HTTP endpoints: {@code /healthz} (200 while the process lives), {@code /readyz} (200 only
 * while the streams are RUNNING and nothing known stalls them, else 503 with the state and why,
 * e.g. the schema registry is unavailable), {@code /metrics} (Prometheus text) and {@code
 * /api/health-checks} (the latest health check per scope, JSON; 503 while not RUNNING): the scopes
 * of every instance of the application when {@code application.server} is set (this one's own only
 * with {@code ?local=true}), with {@code partial: true} and the instances that did not answer; the
 * status page ({@code GET /}) and its JSON ({@link StatusApi}).
 */
public final class OpsServer implements AutoCloseable {

  public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  static final String JSON_TYPE = "application/json";

  /** How long /api/health-checks waits for another instance's answer. */
  static final Duration PEER_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final RecordRates rates;

  private OpsServer(HttpServer server, ExecutorService executor, RecordRates rates) {
    this.server = server;
    this.executor = executor;
    this.rates = rates;
  }

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one).
   *
   * @param status the streams' state ("RUNNING" means ready, unless stalled)
   * @param metrics the registry /metrics scrapes
   * @param healthChecks the latest health checks of this instance, asked only while RUNNING
   * @param peers the other instances whose health checks complete this one's (none when there is
   *     one)
   * @param recent the recent alerts and dead letters the status page shows
   * @throws PortInUseException when the port is taken
   */
  public static OpsServer start(
      String host,
      int port,
      StreamsStatus status,
      PrometheusMeterRegistry metrics,
      HealthChecksSource healthChecks,
      Peers peers,
      Recent recent) {
    PeerClient peerClient = new PeerClient(PEER_TIMEOUT);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (BindException e) {
      throw new PortInUseException(port);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    server.createContext(
        "/healthz", guarded(ex -> send(ex, 200, "text/plain; charset=utf-8", "ok\n")));
    server.createContext(
        "/readyz",
        guarded(
            ex -> {
              String state = status.state();
              String stalled = status.stalled();
              boolean ready = StreamsStatus.RUNNING.equals(state) && stalled == null;
              send(
                  ex,
                  ready ? 200 : 503,
                  "text/plain; charset=utf-8",
                  (stalled == null ? state : state + ", stalled: " + stalled) + "\n");
            }));
    server.createContext(
        "/metrics", guarded(ex -> send(ex, 200, PROMETHEUS_CONTENT_TYPE, metrics.scrape())));
    server.createContext(
        "/api/health-checks",
        guarded(
            ex -> {
              if (notReady(ex, status)) {
                return;
              }
              ObjectNode local = toJson(healthChecks.latest());
              if (PeerClient.localOnly(ex.getRequestURI().getRawQuery())) {
                send(ex, 200, JSON_TYPE, local.toString());
                return;
              }
              PeerClient.Answers answers =
                  peerClient.ask(peers.others(), "/api/health-checks", null);
              List<JsonNode> checks = new ArrayList<>();
              local.withArray("health_checks").forEach(checks::add);
              answers.answers().forEach(a -> a.path("health_checks").forEach(checks::add));
              checks.sort(Comparator.comparing(c -> c.path("scope").asText()));
              ObjectNode out = JSON.createObjectNode();
              out.putArray("health_checks").addAll(checks);
              send(ex, 200, JSON_TYPE, answers.mark(out).toString());
            }));
    RecordRates rates = RecordRates.start(metrics);
    new StatusApi(status, healthChecks, recent, rates, peers, peerClient, Clock.systemUTC())
        .register(server);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "kfm-ops-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    return new OpsServer(server, executor, rates);
  }

  /** The port actually listened on. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    rates.close();
  }

  /**
   * {@code {"health_checks": [...]}}, one object per scope, fields as in the HealthCheck Avro
   * schema.
   */
  static ObjectNode toJson(List<HealthCheck> checks) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("health_checks");
    for (HealthCheck c : checks) {
      ObjectNode o = array.addObject();
      o.put("scope", c.getScope());
      o.put("window_start", c.getWindowStart().toString());
      o.put("window_end", c.getWindowEnd().toString());
      o.put("window_hours", c.getWindowHours());
      o.put("runs_checked", c.getRunsChecked());
      o.put("runs_with_trace", c.getRunsWithTrace());
      o.put("runs_with_energy_report", c.getRunsWithEnergyReport());
      o.put("trace_coverage_pct", c.getTraceCoveragePct());
      o.put("energy_report_coverage_pct", c.getEnergyReportCoveragePct());
      o.put("trace_slo_pct", c.getTraceSloPct());
      o.put("energy_slo_pct", c.getEnergySloPct());
      o.put("min_runs", c.getMinRuns());
      o.put(
          "last_run_checked",
          c.getLastRunChecked() == null ? null : c.getLastRunChecked().toString());
      ArrayNode verdicts = o.putArray("verdicts");
      c.getVerdicts()
          .forEach(
              v ->
                  verdicts
                      .addObject()
                      .put("rule_id", v.getRuleId())
                      .put("status", v.getStatus().name())
                      .put("reason", v.getReason()));
    }
    return root;
  }

  /** Answers 503 with the state (and returns true) unless the streams are RUNNING. */
  static boolean notReady(HttpExchange ex, StreamsStatus status) throws IOException {
    String state = status.state();
    if (StreamsStatus.RUNNING.equals(state)) {
      return false;
    }
    ObjectNode body = JSON.createObjectNode().put("error", "not ready").put("state", state);
    send(ex, 503, JSON_TYPE, body.toString());
    return true;
  }

  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  static HttpHandler guarded(Handler handler) {
    return exchange -> {
      try (exchange) {
        if (!"GET".equals(exchange.getRequestMethod())
            && !"HEAD".equals(exchange.getRequestMethod())) {
          send(exchange, 405, "text/plain; charset=utf-8", "only GET\n");
          return;
        }
        // The JDK's server matches a context by prefix; an endpoint is its whole path ("/" serves
        // the status page's files itself)
        String context = exchange.getHttpContext().getPath();
        if (!"/".equals(context) && !context.equals(exchange.getRequestURI().getPath())) {
          send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
          return;
        }
        handler.handle(exchange);
      } catch (RuntimeException e) {
        LOG.error("ops endpoint {} failed", exchange.getRequestURI(), e);
        try {
          send(
              exchange,
              500,
              "text/plain; charset=utf-8",
              "internal error: " + e.getClass().getSimpleName() + "\n");
        } catch (IOException | RuntimeException ignored) {
          // the response was already under way; the client sees a broken reply
        }
      }
    };
  }

  static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] bytes)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The {@code host:port} of the ops endpoints of the application's other instances. */
  @FunctionalInterface
  public interface Peers {
    List<String> others();
  }

  /** The ops port is taken by another process. */
  public static final class PortInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PortInUseException(int port) {
      super(
          "http.port "
              + port
              + " is already in use; stop the other process or set http.port (KFM_HTTP_PORT)");
    }
  }
}
