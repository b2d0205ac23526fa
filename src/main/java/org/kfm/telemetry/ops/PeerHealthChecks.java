package org.kfm.telemetry.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Completes this instance's {@code /api/health-checks} answer with those of the other instances of
 * the application that hold health stores ({@code application.server} of each), asked in parallel
 * for their local scopes; an instance that does not answer in time is named in {@code unreachable}
 * and the answer is marked {@code partial}, never dropped or delayed past the timeout.
 */
final class PeerHealthChecks {

  /**
   * The query parameter that asks an instance for its own scopes only (what peers send each other).
   */
  static final String LOCAL_ONLY = "local=true";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final Duration timeout;

  PeerHealthChecks(Duration timeout) {
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  /**
   * {@code local} ({@code {"health_checks": [...]}}) with every peer's checks added, sorted by
   * scope, and {@code partial} / {@code unreachable} saying which peers did not answer.
   *
   * @param peers {@code host:port} of the other instances
   */
  ObjectNode gather(ObjectNode local, List<String> peers) {
    Map<String, CompletableFuture<JsonNode>> asked = new LinkedHashMap<>();
    for (String peer : peers) {
      asked.put(peer, ask(peer));
    }
    List<JsonNode> checks = new ArrayList<>();
    local.withArray("health_checks").forEach(checks::add);
    ArrayNode unreachable = JSON.createArrayNode();
    asked.forEach(
        (peer, answer) -> {
          try {
            answer.join().withArray("health_checks").forEach(checks::add);
          } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            unreachable
                .addObject()
                .put("instance", peer)
                .put("error", String.valueOf(cause.getMessage()));
          }
        });
    checks.sort(Comparator.comparing(c -> c.path("scope").asText()));
    ObjectNode out = JSON.createObjectNode();
    out.putArray("health_checks").addAll(checks);
    out.put("partial", !unreachable.isEmpty());
    out.set("unreachable", unreachable);
    return out;
  }

  private CompletableFuture<JsonNode> ask(String peer) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + peer + "/api/health-checks?" + LOCAL_ONLY))
            .timeout(timeout)
            .GET()
            .build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new IllegalStateException(
                    "HTTP "
                        + response.statusCode()
                        + " "
                        + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)
                            .strip());
              }
              try {
                return JSON.readTree(response.body());
              } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + e.getMessage(), e);
              }
            });
  }
}
