package org.kfm.telemetry.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one registry request with the retry and fail-over rules: a connection failure moves on to
 * the next base URL at once; a 5xx answer, or every URL failing to connect, waits the policy's
 * backoff and tries again, at most {@code 1 + maxRetries} rounds; any other error answer (4xx) is
 * final at once.
 */
final class RegistryTransport {

  /** Waits between retries; tests replace it so they never sleep. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  static final String CONTENT_TYPE = SchemaRegistryClient.CONTENT_TYPE;
  private static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
  private static final int MAX_MESSAGE = 300;
  private static final Logger LOG = LoggerFactory.getLogger(RegistryTransport.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<RegistryEndpoint> endpoints;
  private final RetryPolicy retry;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final Sleeper sleeper;
  private final AtomicInteger current = new AtomicInteger();

  RegistryTransport(RegistryClientConfig config, Sleeper sleeper) {
    this.endpoints = config.endpoints();
    this.retry = config.retry();
    this.requestTimeout = config.requestTimeout();
    this.sleeper = sleeper;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    if (endpoints.stream().anyMatch(e -> "https".equalsIgnoreCase(e.base().getScheme()))) {
      builder.sslContext(config.tls().sslContext());
    }
    this.http = builder.build();
  }

  /**
   * Sends {@code method path} with an optional JSON body; the parsed JSON answer of a 2xx response.
   */
  JsonNode send(String method, String path, String jsonBody) throws SchemaRegistryException {
    SchemaRegistryException last = null;
    for (int round = 0; round <= retry.maxRetries(); round++) {
      if (round > 0) {
        backoff(round, method, path, last);
      }
      for (int tried = 0; tried < endpoints.size(); tried++) {
        int index = current.get();
        RegistryEndpoint endpoint = endpoints.get(index);
        HttpResponse<String> response;
        try {
          response =
              http.send(
                  request(endpoint, method, path, jsonBody), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          last =
              new SchemaRegistryException(
                  "Schema registry "
                      + endpoint
                      + " unreachable for "
                      + method
                      + " "
                      + path
                      + ": "
                      + e,
                  e);
          LOG.warn("{}{}", last.getMessage(), endpoints.size() > 1 ? "; trying the next URL" : "");
          current.compareAndSet(index, (index + 1) % endpoints.size());
          continue;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SchemaRegistryException(
              "Interrupted during " + method + " " + path + " to " + endpoint, e);
        }
        if (response.statusCode() / 100 == 2) {
          return parse(response.body(), endpoint, method, path);
        }
        last = error(response, endpoint, method, path);
        if (response.statusCode() < 500) {
          throw last;
        }
        LOG.warn("{}", last.getMessage());
        break;
      }
    }
    throw last;
  }

  private void backoff(int retryNumber, String method, String path, SchemaRegistryException cause)
      throws SchemaRegistryException {
    Duration delay = retry.delay(retryNumber, ThreadLocalRandom.current());
    LOG.info(
        "Retrying {} {} in {} ms (retry {} of {})",
        method,
        path,
        delay.toMillis(),
        retryNumber,
        retry.maxRetries());
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(
          "Interrupted while waiting to retry " + method + " " + path, cause);
    }
  }

  private HttpRequest request(
      RegistryEndpoint endpoint, String method, String path, String jsonBody) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint.resolve(path))
            .timeout(requestTimeout)
            .header("Accept", ACCEPT)
            .method(
                method,
                jsonBody == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (jsonBody != null) {
      builder.header("Content-Type", CONTENT_TYPE);
    }
    if (endpoint.authorization() != null) {
      builder.header("Authorization", endpoint.authorization().value());
    }
    return builder.build();
  }

  private static JsonNode parse(String body, RegistryEndpoint endpoint, String method, String path)
      throws SchemaRegistryException {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new SchemaRegistryException(
          200,
          SchemaRegistryException.NO_RESPONSE,
          "Schema registry "
              + endpoint
              + " answered "
              + method
              + " "
              + path
              + " with something that is not JSON: "
              + abbreviate(body));
    }
  }

  private static SchemaRegistryException error(
      HttpResponse<String> response, RegistryEndpoint endpoint, String method, String path) {
    int status = response.statusCode();
    int errorCode = status;
    String message = abbreviate(response.body());
    try {
      JsonNode body = JSON.readTree(response.body());
      if (body != null && body.isObject()) {
        errorCode = body.path("error_code").asInt(status);
        message = abbreviate(body.path("message").asText(message));
      }
    } catch (IOException notJson) {
      // A proxy's HTML error page: keep the (shortened) text as the message.
    }
    return new SchemaRegistryException(
        status,
        errorCode,
        "Schema registry "
            + endpoint
            + " answered "
            + status
            + " (error_code "
            + errorCode
            + ") to "
            + method
            + " "
            + path
            + ": "
            + message);
  }

  private static String abbreviate(String text) {
    String flat = text == null ? "" : text.strip().replaceAll("\\s+", " ");
    return flat.length() <= MAX_MESSAGE ? flat : flat.substring(0, MAX_MESSAGE) + "...";
  }
}
