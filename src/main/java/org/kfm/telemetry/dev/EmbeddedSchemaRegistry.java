package org.kfm.telemetry.dev;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A small schema registry for development and tests speaking the Confluent Schema Registry REST API
 * for Avro (register, look up, versions, ids, compatibility checks at every Confluent level,
 * configs, soft and permanent deletes, Confluent's error codes). It keeps its schemas either in
 * memory ({@link #start}, {@link #on}) or durably in a compacted Kafka topic in Confluent's own
 * {@code _schemas} record format ({@link #startDurable}), so a restart on the same cluster keeps
 * ids, versions and configs. It has no authentication, binds where it is told and assumes it is the
 * only registry writing its topic.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  /** Confluent's default name of the schemas topic. */
  public static final String DEFAULT_TOPIC = "_schemas";

  private final HttpServer server;
  private final HttpContext context;
  private final SchemaStore store;
  private final RegistryState state;
  private final SchemasLog log;

  private EmbeddedSchemaRegistry(HttpServer server, RegistryState state, SchemasLog log) {
    this.server = server;
    this.state = state;
    this.log = log;
    this.store = new SchemaStore(state, log);
    this.context = server.createContext("/", new RegistryHttpApi(store, this));
  }

  /** An in-memory registry on http://127.0.0.1:{@code port} (0: a free port), started. */
  public static EmbeddedSchemaRegistry start(int port) throws IOException {
    EmbeddedSchemaRegistry registry = on(loopback(port));
    registry.server.start();
    return registry;
  }

  /**
   * An in-memory registry on {@code server} (HTTP or HTTPS, bound, not yet started): add filters to
   * {@link #context()} if needed, then call {@code server.start()}.
   */
  public static EmbeddedSchemaRegistry on(HttpServer server) {
    return new EmbeddedSchemaRegistry(server, new RegistryState(), SchemasLog.IN_MEMORY);
  }

  /**
   * A durable registry on http://127.0.0.1:{@code port} (0: a free port), started once it has read
   * the topic {@code topic} of the cluster at {@code bootstrapServers} to its end. The topic is
   * created when missing (compacted, one partition, replication {@code replicationFactor}, or
   * min(3, brokers) when it is 0); every change is acknowledged by the cluster before it is
   * answered.
   */
  public static EmbeddedSchemaRegistry startDurable(
      int port, String bootstrapServers, String topic, int replicationFactor) throws IOException {
    RegistryState state = new RegistryState();
    SchemasLog log =
        SchemasTopic.open(
            new SchemasTopic.Settings(
                bootstrapServers, topic, replicationFactor, Duration.ofSeconds(60)),
            state::apply);
    try {
      EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(loopback(port), state, log);
      registry.server.start();
      return registry;
    } catch (IOException | RuntimeException e) {
      log.close();
      throw e;
    }
  }

  /**
   * {@link #startDurable(int, String, String, int)} on {@value #DEFAULT_TOPIC}, replication min(3,
   * brokers).
   */
  public static EmbeddedSchemaRegistry startDurable(int port, String bootstrapServers)
      throws IOException {
    return startDurable(port, bootstrapServers, DEFAULT_TOPIC, 0);
  }

  private static HttpServer loopback(int port) throws IOException {
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
  }

  /**
   * The HTTP context that serves the API, for filters (logging, authentication, injected faults).
   */
  public HttpContext context() {
    return context;
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8081}. */
  public String url() {
    return (server instanceof HttpsServer ? "https" : "http")
        + "://127.0.0.1:"
        + server.getAddress().getPort();
  }

  /**
   * Registers {@code schema} under {@code subject} directly, without a compatibility check: its id.
   */
  public int register(String subject, Schema schema) {
    synchronized (this) {
      return store.register(subject, schema, false);
    }
  }

  /** The schema registered under {@code id}, if any. */
  public Optional<Schema> schema(int id) {
    synchronized (this) {
      return state.byId(id).map(RegistryState.Version::parsed);
    }
  }

  /** Stops serving, then closes the topic's producer (durable mode). */
  @Override
  public void close() {
    server.stop(0);
    log.close();
  }

  /** Replies with a Confluent-style error body ({@code error_code}, {@code message}). */
  public static void replyError(HttpExchange exchange, int status, int errorCode, String message)
      throws IOException {
    RegistryHttpApi.reply(exchange, status, RegistryHttpApi.error(errorCode, message));
  }
}
