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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Asks the application's other instances ({@code application.server} of each) for their own part of
 * an ops API answer ({@code ?local=true}), in parallel; an instance that does not answer within the
 * timeout is named in {@code unreachable}, never waited for longer.
 */
final class PeerClient {

  /**
   * The query parameter that asks an instance for its own part only (what peers send each other).
   */
  static final String LOCAL_ONLY = "local=true";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final Duration timeout;

  PeerClient(Duration timeout) {
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  /** What the peers answered, and which did not. */
  record Answers(Map<String, JsonNode> byPeer, ArrayNode unreachable) {

    Collection<JsonNode> answers() {
      return byPeer.values();
    }

    boolean partial() {
      return !unreachable.isEmpty();
    }

    /** Adds {@code partial} and {@code unreachable} to an answer. */
    ObjectNode mark(ObjectNode out) {
      out.put("partial", partial());
      out.set("unreachable", unreachable);
      return out;
    }
  }

  /** True when the request asked for this instance's own part only. */
  static boolean localOnly(String query) {
    return query != null && List.of(query.split("&")).contains(LOCAL_ONLY);
  }

  /**
   * Asks each of {@code peers} ({@code host:port}) for {@code path?query&local=true}.
   *
   * @param query the request's own query without {@code local=true} (may be null or empty)
   */
  Answers ask(List<String> peers, String path, String query) {
    String suffix = "?" + (query == null || query.isEmpty() ? "" : query + "&") + LOCAL_ONLY;
    Map<String, CompletableFuture<JsonNode>> asked = new LinkedHashMap<>();
    for (String peer : peers) {
      asked.put(peer, ask(URI.create("http://" + peer + path + suffix)));
    }
    Map<String, JsonNode> answers = new LinkedHashMap<>();
    ArrayNode unreachable = JSON.createArrayNode();
    asked.forEach(
        (peer, answer) -> {
          try {
            answers.put(peer, answer.join());
          } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            unreachable
                .addObject()
                .put("instance", peer)
                .put("error", String.valueOf(cause.getMessage()));
          }
        });
    return new Answers(answers, unreachable);
  }

  private CompletableFuture<JsonNode> ask(URI uri) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new IllegalStateException(
                    "HTTP "
                        + response.statusCode()
                        + " "
                        + new String(response.body(), StandardCharsets.UTF_8).strip());
              }
              try {
                return JSON.readTree(response.body());
              } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + e.getMessage(), e);
              }
            });
  }
}
