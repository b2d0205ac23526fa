package org.kfm.telemetry.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.config.AlertSigning;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.config.ConfigError;
import org.kfm.telemetry.config.Secrets;
import org.kfm.telemetry.config.ServiceConfig;
import org.kfm.telemetry.contract.Ed25519Keys;
import org.kfm.telemetry.ops.HealthChecksSource;
import org.kfm.telemetry.ops.OpsServer;
import org.kfm.telemetry.ops.Recent;
import org.kfm.telemetry.ops.RecentRecords;
import org.kfm.telemetry.ops.StateStoreTags;
import org.kfm.telemetry.ops.StoreHealthChecks;
import org.kfm.telemetry.ops.StreamsStatus;
import org.kfm.telemetry.routing.DeadLetterWriter;
import org.kfm.telemetry.routing.RecordLimit;
import org.kfm.telemetry.topology.HealthTopology;
import org.kfm.telemetry.topology.RegistryOutage;
import org.kfm.telemetry.topology.StreamsProperties;
import org.kfm.telemetry.topology.TelemetrySerdes;
import org.kfm.telemetry.topology.TelemetryTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: the ops HTTP endpoints, then the serdes, the topology and the Kafka Streams
 * client with its failure handler and metrics. {@code kfm run}, {@code kfm dev} and the real-broker
 * tests all start it this way; {@link #close} stops the streams (with a timeout), then the HTTP
 * server.
 */
public final class ServiceRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);

  private final KafkaStreams streams;
  private final OpsServer http;
  private final PrometheusMeterRegistry meters;
  private final KafkaStreamsMetrics streamsMetrics;
  private final List<AutoCloseable> serdes;
  private final boolean staticMember;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean failed;

  private ServiceRuntime(
      KafkaStreams streams,
      OpsServer http,
      PrometheusMeterRegistry meters,
      KafkaStreamsMetrics streamsMetrics,
      List<AutoCloseable> serdes,
      boolean staticMember) {
    this.streams = streams;
    this.http = http;
    this.meters = meters;
    this.streamsMetrics = streamsMetrics;
    this.serdes = serdes;
    this.staticMember = staticMember;
  }

  /**
   * Starts the service as {@code kfm run} does, from a loaded configuration: once the HTTP
   * endpoints are up, {@link AccessCheck} makes sure Kafka and the registry accept its credentials
   * and that its ACLs suffice ({@link KfmCommand.UserException}, one line, when not).
   */
  public static ServiceRuntime start(ServiceConfig config, String version) {
    Properties kafka = config.kafkaProperties();
    return start(
        config.app(),
        kafka,
        config.serde(),
        "0.0.0.0",
        config.httpPort(),
        version,
        () -> {
          AccessCheck.kafka(kafka, config.app());
          AccessCheck.registry(config.serde());
        });
  }

  /**
   * Starts the HTTP endpoints and the streams.
   *
   * @param app the topology's configuration
   * @param kafka Kafka/Streams properties applied on top of {@link StreamsProperties#of}
   *     (bootstrap.servers, ...)
   * @param serde the Avro serdes' properties (schema.registry.url, ...)
   * @param httpHost the address the ops endpoints listen on
   * @param httpPort their port (0: a free one, see {@link #httpPort()})
   * @param version the service version written into dead-letter headers
   * @throws OpsServer.PortInUseException when the port is taken (nothing else was started)
   * @throws ConfigError when Kafka refuses a {@code kafka.*} property
   */
  public static ServiceRuntime start(
      AppConfig app,
      Properties kafka,
      Map<String, ?> serde,
      String httpHost,
      int httpPort,
      String version) {
    return start(app, kafka, serde, httpHost, httpPort, version, () -> {});
  }

  /**
   * As {@link #start(AppConfig, Properties, Map, String, int, String)}, running {@code
   * beforeStreams} once the HTTP endpoints are up and before anything else ({@code kfm run}'s
   * {@link AccessCheck}: credentials and ACLs refused stop it there, in one line).
   */
  private static ServiceRuntime start(
      AppConfig app,
      Properties kafka,
      Map<String, ?> serde,
      String httpHost,
      int httpPort,
      String version,
      Runnable beforeStreams) {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meters.config().meterFilter(new StateStoreTags());
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ClassLoaderMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);

    // The HTTP server starts first (a taken port stops us before we touch Kafka); it sees the
    // streams once they exist.
    AtomicReference<KafkaStreams> current = new AtomicReference<>();
    AtomicReference<HealthChecksSource> checks = new AtomicReference<>(List::of);
    HealthChecksSource currentChecks =
        new HealthChecksSource() {
          @Override
          public List<HealthCheck> latest() {
            return checks.get().latest();
          }

          @Override
          public Map<String, List<HealthCheck>> history(Collection<String> scopes, Instant from) {
            return checks.get().history(scopes, from);
          }
        };
    AtomicReference<Recent> recent = new AtomicReference<>(Recent.NONE);
    AtomicReference<RegistryOutage> registryOutage = new AtomicReference<>();
    AtomicReference<StreamsFailureHandler> threadFailures = new AtomicReference<>();
    OpsServer http =
        OpsServer.start(
            httpHost,
            httpPort,
            new StreamsStatus() {
              @Override
              public String state() {
                return current.get() == null ? "CREATED" : current.get().state().name();
              }

              @Override
              public String stalled() {
                RegistryOutage outage = registryOutage.get();
                StreamsFailureHandler failures = threadFailures.get();
                KafkaStreams streams = current.get();
                return ServiceRuntime.stalled(
                    outage == null ? null : outage.describe(),
                    streams == null ? null : streams.state(),
                    failures == null ? null : failures::failing,
                    streams == null ? null : () -> PollStalls.describe(streams.metrics()));
              }
            },
            meters,
            currentChecks,
            () -> peers(current.get(), kafka.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)),
            new Recent() {
              @Override
              public ObjectNode alerts(Duration span) {
                return recent.get().alerts(span);
              }

              @Override
              public ObjectNode deadLetters(Duration span) {
                return recent.get().deadLetters(span);
              }

              @Override
              public void close() {
                recent.get().close();
              }
            });
    try {
      beforeStreams.run();
      TelemetrySerdes serdes = TelemetrySerdes.of(serde);
      registryOutage.set(serdes.registryOutage());
      Topology topology = TelemetryTopology.build(app, serdes, meters, version);
      String dlqSetting = kafka.getProperty(DeadLetterWriter.DLQ_TOPIC_CONFIG);
      if (dlqSetting != null && !dlqSetting.equals(app.topics().dlq())) {
        throw new ConfigError(
            "kafka." + DeadLetterWriter.DLQ_TOPIC_CONFIG,
            dlqSetting
                + " is not topics.dlq ("
                + app.topics().dlq()
                + "): the dead-letter topic is set once, with topics.dlq (KFM_TOPICS_DLQ), and "
                + "given to Kafka Streams as "
                + DeadLetterWriter.DLQ_TOPIC_CONFIG);
      }
      Properties props = StreamsProperties.of(app, version);
      props.putAll(kafka);
      // What the dead-letter topic takes bounds each dead letter (RecordLimit); unknown: Kafka's
      // default is assumed
      Integer dlqLimit = AccessCheck.maxMessageBytes(props, app.topics().dlq(), 5_000);
      if (dlqLimit != null) {
        props.put(RecordLimit.DLQ_MAX_MESSAGE_BYTES_CONFIG, dlqLimit.toString());
      }
      KafkaStreams streams;
      StreamsClients clients = new StreamsClients();
      try {
        streams = new KafkaStreams(topology, props, clients);
      } catch (ConfigException e) {
        throw ConfigError.kafka(e);
      }
      AlertSigning signing = app.health().signing();
      RecentRecords records =
          RecentRecords.start(
              props,
              app.topics().alerts(),
              app.topics().dlq(),
              signing == null ? null : Ed25519Keys.publicKeyOf(signing.privateKey()),
              Clock.systemUTC());
      recent.set(records);
      KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
      streamsMetrics.bindTo(meters);
      ServiceRuntime runtime =
          new ServiceRuntime(
              streams, http, meters, streamsMetrics, List.of(serdes, records), isStatic(props));
      StreamsFailureHandler failures =
          new StreamsFailureHandler(clients, TelemetryTopology.sourceTopics(app));
      threadFailures.set(failures);
      streams.setUncaughtExceptionHandler(failures);
      streams.setStateListener(
          (now, before) -> {
            LOG.info("streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.ERROR) {
              runtime.failed = true;
              runtime.stopped.countDown();
            }
          });
      if (app.health().enabled()) {
        checks.set(new StoreHealthChecks(streams, app.health()));
      }
      current.set(streams);
      streams.start();
      LOG.info(
          "kfm-telemetry-streams {} started: bootstrap.servers={}, schema.registry.url={}, application.id={}, "
              + "ops http on port {} (status page /, /healthz /readyz /metrics /api/health-checks)",
          version,
          Secrets.mask("bootstrap.servers", props.getProperty("bootstrap.servers")),
          Secrets.mask("schema.registry.url", String.valueOf(serde.get("schema.registry.url"))),
          props.getProperty("application.id"),
          http.port());
      return runtime;
    } catch (RuntimeException e) {
      http.close();
      recent.get().close();
      meters.close();
      throw e;
    }
  }

  /**
   * The ops endpoints of the other instances that hold health stores, as Streams' metadata knows
   * them from their {@code application.server}; none when this instance sets none (it cannot tell
   * itself apart).
   */
  static List<String> peers(KafkaStreams streams, String applicationServer) {
    if (streams == null || applicationServer == null || applicationServer.isBlank()) {
      return List.of();
    }
    HostInfo self = HostInfo.buildFromEndpoint(applicationServer);
    return streams.streamsMetadataForStore(HealthTopology.SCOPE_STORE).stream()
        .map(StreamsMetadata::hostInfo)
        .filter(h -> !h.equals(self) && !h.equals(HostInfo.unavailable()))
        .map(h -> h.host() + ":" + h.port())
        .distinct()
        .sorted()
        .toList();
  }

  /** The streams client (for tests and dev mode). */
  public KafkaStreams streams() {
    return streams;
  }

  /** The meters (routing counters, JVM and Streams metrics). */
  public PrometheusMeterRegistry meters() {
    return meters;
  }

  /** The port the ops endpoints listen on. */
  public int httpPort() {
    return http.port();
  }

  /** Blocks until {@link #close} has run or the streams failed for good. */
  public void awaitTermination() throws InterruptedException {
    stopped.await();
  }

  /** Whether the streams stopped in ERROR (a fatal failure), rather than by {@link #close}. */
  public boolean failed() {
    return failed;
  }

  /**
   * Whether the stream threads' consumers are static group members: {@code group.instance.id} set,
   * plain or with the {@code consumer.} or {@code main.consumer.} prefix, as Kafka Streams resolves
   * it.
   */
  static boolean isStatic(Properties props) {
    String id = ConsumerConfig.GROUP_INSTANCE_ID_CONFIG;
    for (String key :
        List.of(StreamsConfig.mainConsumerPrefix(id), StreamsConfig.consumerPrefix(id), id)) {
      if (props.containsKey(key)) {
        Object value = props.get(key);
        return value != null && !value.toString().isBlank();
      }
    }
    return false;
  }

  /**
   * Stops the streams (waiting at most {@code timeout}; a dynamic member leaves its group, a static
   * one stays), then the HTTP server; idempotent.
   */
  public void close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info(
        "shutting down (timeout {}; {})",
        timeout,
        staticMember ? "a static member: staying in the group" : "leaving the group");
    // A dynamic member leaves its group, so that the others take its partitions over at once rather
    // than after session.timeout.ms (Kafka Streams' own default stays). A static member
    // (group.instance.id) stays: its restart within the session timeout then moves nothing.
    boolean clean =
        streams.close(
            CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(
                    staticMember
                        ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
                        : CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    if (!clean) {
      LOG.warn("streams did not close within {}", timeout);
    }
    streamsMetrics.close();
    for (AutoCloseable serde : serdes) {
      try {
        serde.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", serde.getClass().getSimpleName(), e);
      }
    }
    http.close();
    meters.close();
    LOG.info(clean ? "stopped cleanly" : "stopped (the streams did not close cleanly)");
    stopped.countDown();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  /**
   * Why records are stalled, for {@code /readyz}: the registry first (when it is down, it is why
   * the threads fail); while the streams are RUNNING, a stream thread blocked in Kafka (a send, a
   * flush or a commit the brokers do not complete); otherwise repeated stream-thread failures say
   * why the streams are not RUNNING (each replacement rebalances): once RUNNING again, records
   * flow, whatever failed in the last minute. Null when nothing is known; each source is asked only
   * when the ones before it say nothing.
   */
  static String stalled(
      String registry,
      KafkaStreams.State state,
      Supplier<String> threadFailures,
      Supplier<String> blockedThreads) {
    if (registry != null) {
      return registry;
    }
    if (state == null) {
      return null;
    }
    Supplier<String> why = state == KafkaStreams.State.RUNNING ? blockedThreads : threadFailures;
    return why == null ? null : why.get();
  }
}
