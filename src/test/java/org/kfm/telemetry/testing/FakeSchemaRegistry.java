package org.kfm.telemetry.testing;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.kfm.telemetry.dev.EmbeddedSchemaRegistry;

/**
 * The service's {@link EmbeddedSchemaRegistry} on the loopback interface, for tests (serde unit
 * tests, real-broker integration tests), with a request log, injectable 5xx failures and optional
 * Basic auth.
 */
public final class FakeSchemaRegistry implements AutoCloseable {

  /** One request as the registry saw it. */
  public record Request(String method, String path, String contentType, String authorization) {}

  private final EmbeddedSchemaRegistry registry;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;
  private volatile String expectedAuthorization;

  private FakeSchemaRegistry(HttpServer server) {
    registry = EmbeddedSchemaRegistry.on(server);
    registry.context().getFilters().add(new Faults());
    server.start();
  }

  /** A registry on http://127.0.0.1:&lt;free port&gt;. */
  public static FakeSchemaRegistry start() throws IOException {
    return new FakeSchemaRegistry(
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  /**
   * A registry on https://127.0.0.1:&lt;free port&gt; presenting the certificate of {@code tls}.
   */
  public static FakeSchemaRegistry startTls(SSLContext tls) throws IOException {
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new FakeSchemaRegistry(server);
  }

  public String url() {
    return registry.url();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The next {@code count} requests fail with {@code status} (a Confluent-style error body). */
  public void failNext(int count, int status) {
    failureStatus = status;
    failuresLeft.set(count);
  }

  /** Answers 401 unless requests carry these Basic credentials. */
  public void requireBasicAuth(String user, String password) {
    expectedAuthorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Registers directly, bypassing HTTP: the id. */
  public int register(String subject, Schema schema) {
    return registry.register(subject, schema);
  }

  /** The schema registered under {@code id}, if any. */
  public Optional<Schema> schema(int id) {
    return registry.schema(id);
  }

  @Override
  public void close() {
    registry.close();
  }

  /**
   * Logs each request, then answers an injected failure or a 401 instead of the registry when told
   * to.
   */
  private final class Faults extends Filter {
    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              authorization));
      if (failuresLeft.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
        try (exchange) {
          exchange.getRequestBody().readAllBytes();
          EmbeddedSchemaRegistry.replyError(
              exchange, failureStatus, failureStatus * 100 + 1, "Injected failure");
        }
      } else if (expectedAuthorization != null && !expectedAuthorization.equals(authorization)) {
        try (exchange) {
          exchange.getRequestBody().readAllBytes();
          EmbeddedSchemaRegistry.replyError(exchange, 401, 401, "Unauthorized");
        }
      } else {
        chain.doFilter(exchange);
      }
    }

    @Override
    public String description() {
      return "request log, injected failures, Basic auth";
    }
  }
}
