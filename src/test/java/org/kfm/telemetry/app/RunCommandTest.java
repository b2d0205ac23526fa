package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** kfm run's start-up failures, without a broker: one line, exit 2. */
class RunCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CommandLine cl = KfmCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    ((RunCommand) cl.getSubcommands().get("run").getCommand()).env = env;
    return cl.execute(args);
  }

  @Test
  void shouldExit2WithOneLineWhenTheConfigFileIsMissing() {
    int exit = run(Map.of(), "run", "--config", dir.resolve("nope.yaml").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "kfm: config error: --config: "
                + dir.resolve("nope.yaml")
                + ": no such file"
                + System.lineSeparator());
  }

  @Test
  void shouldExit2NamingTheKeyWhenTheConfigIsBad() throws IOException {
    Path file = dir.resolve("kfm.yaml");
    Files.writeString(file, "health:\n  window: 1 day\n");

    int exit =
        run(
            Map.of(
                "KFM_KAFKA_BOOTSTRAP_SERVERS",
                "b:9092",
                "KFM_SERDE_SCHEMA_REGISTRY_URL",
                "mock://x"),
            "run",
            "--config",
            file.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "kfm: config error: health.window: \"1 day\" is not a duration (use 24h, 90m or PT1H)"
                + System.lineSeparator());
  }

  @Test
  void shouldExit2WithKafkasOwnWordsWhenItRefusesAPropertyBeforeConnecting() throws IOException {
    Path file = dir.resolve("kfm.yaml");
    Files.writeString(file, "health:\n  alerts:\n    enabled: false\n");
    Map<String, String> env = new HashMap<>();
    env.put("KFM_KAFKA_BOOTSTRAP_SERVERS", "b:9092");
    env.put("KFM_SERDE_SCHEMA_REGISTRY_URL", "mock://x");
    env.put("KFM_HTTP_PORT", "0");

    env.put("KFM_KAFKA_SECURITY_PROTOCOL", "SASL_PLAIN");
    assertThat(run(env, "run", "--config", file.toString())).isEqualTo(2);
    env.remove("KFM_KAFKA_SECURITY_PROTOCOL");
    env.put("KFM_KAFKA_BOOTSTRAP_SERVERS", "not a host");
    assertThat(run(env, "run", "--config", file.toString())).isEqualTo(2);

    assertThat(err.toString().lines())
        .hasSize(2)
        .satisfiesExactly(
            protocol ->
                assertThat(protocol)
                    .startsWith(
                        "kfm: config error: kafka: Invalid value SASL_PLAIN for configuration"
                            + " security.protocol: String must be one of (case insensitive): "),
            servers ->
                assertThat(servers)
                    .isEqualTo(
                        "kfm: config error: kafka: Invalid url in bootstrap.servers: not a host"));
  }

  @Test
  void shouldExit2WithOneLineWhenTheHttpPortIsTaken() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("0.0.0.0", 0));
      Path file = dir.resolve("kfm.yaml");
      Files.writeString(
          file,
          """
          kafka: {bootstrap.servers: "127.0.0.1:1"}
          serde: {schema.registry.url: "mock://run-test"}
          health: {alerts: {enabled: false}}
          """);

      int exit =
          run(
              Map.of("KFM_HTTP_PORT", String.valueOf(taken.getLocalPort())),
              "run",
              "--config",
              file.toString());

      assertThat(exit).isEqualTo(2);
      assertThat(err.toString())
          .isEqualTo(
              "kfm: http.port "
                  + taken.getLocalPort()
                  + " is already in use; stop the "
                  + "other process or set http.port (KFM_HTTP_PORT)"
                  + System.lineSeparator());
    }
  }

  @Test
  void shouldReplaceAFailedThreadUnlessTheFailureCannotHeal() {
    assertThat(
            StreamsFailureHandler.responseTo(
                new StreamsException(new TimeoutException("broker slow"))))
        .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(
            StreamsFailureHandler.responseTo(
                new StreamsException(new IllegalStateException("bug"))))
        .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(
            StreamsFailureHandler.responseTo(
                new StreamsException(new SaslAuthenticationException("refused"))))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(StreamsFailureHandler.responseTo(new StreamsException(new OutOfMemoryError())))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
  }

  @Test
  void shouldShutDownWhenAnInternalTopicNoLongerMatchesItsInputsPartitions() {
    // Given Kafka Streams' refusal of an internal topic after partitions were added to its input
    Throwable mismatch =
        new StreamsException(
            "Existing internal topic kfm-telemetry-streams-dedup-by-key-repartition has invalid"
                + " partitions: expected: 24; actual: 12. Use"
                + " 'org.apache.kafka.tools.StreamsResetter' tool to clean up invalid topics"
                + " before processing.");

    // When / Then a replaced thread would fail at once again: the client shuts down, and says
    // which topic and which counts (without the advice to run a tool the docs explain instead)
    assertThat(StreamsFailureHandler.responseTo(mismatch))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(StreamsFailureHandler.partitionMismatch(new StreamsException(mismatch)))
        .isEqualTo(
            "Existing internal topic kfm-telemetry-streams-dedup-by-key-repartition has invalid"
                + " partitions: expected: 24; actual: 12.");
    assertThat(StreamsFailureHandler.partitionMismatch(new StreamsException("task failed")))
        .isNull();
  }

  @Test
  void shouldGiveUpOnASourceTopicMissingForTwentySeconds() {
    // Given a handler on a clock the test moves
    long[] now = {0};
    StreamsFailureHandler handler =
        new StreamsFailureHandler(new StreamsClients(), List.of("raw"), () -> now[0]);
    java.util.function.LongPredicate missingAfterSeconds =
        s -> {
          now[0] += java.util.concurrent.TimeUnit.SECONDS.toNanos(s);
          return handler.missingForGood();
        };

    // When / Then a topic missing at the start (not yet in every broker's metadata) is retried; one
    // still missing 20 s later is given up on; a report a minute after the last starts over
    assertThat(
            StreamsFailureHandler.responseTo(
                new StreamsException(
                    new org.apache.kafka.streams.errors.MissingSourceTopicException("missing"))))
        .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(missingAfterSeconds.test(0)).isFalse();
    assertThat(missingAfterSeconds.test(5)).isFalse();
    assertThat(missingAfterSeconds.test(14)).isFalse();
    assertThat(missingAfterSeconds.test(1)).isTrue();
    assertThat(missingAfterSeconds.test(60)).isFalse();
  }

  @Test
  void shouldWaitLongerBeforeEachReplacementOfFailuresWithinAMinute() {
    // Given a handler on a clock the test moves
    long[] now = {0};
    StreamsFailureHandler handler =
        new StreamsFailureHandler(new StreamsClients(), List.of("raw"), () -> now[0]);
    java.util.function.LongFunction<java.time.Duration> failAfterMillis =
        ms -> {
          now[0] += java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ms);
          return handler.backoff("IllegalStateException: bug");
        };

    // When / Then a first failure is replaced at once, the next ones within a minute of each
    // other wait 250 ms doubling up to 5 s, and a failure a minute after the last starts over
    assertThat(failAfterMillis.apply(0)).isZero();
    assertThat(failAfterMillis.apply(100)).hasMillis(250);
    assertThat(failAfterMillis.apply(100)).hasMillis(500);
    assertThat(failAfterMillis.apply(100)).hasMillis(1000);
    assertThat(failAfterMillis.apply(100)).hasMillis(2000);
    assertThat(failAfterMillis.apply(100)).hasMillis(4000);
    assertThat(failAfterMillis.apply(100)).hasMillis(5000);
    assertThat(failAfterMillis.apply(59_000)).hasMillis(5000);
    assertThat(failAfterMillis.apply(60_000)).isZero();
    assertThat(failAfterMillis.apply(1_000)).hasMillis(250);
  }

  @Test
  void shouldSayWhyWhileStreamThreadsKeepFailing() {
    // Given a handler on a clock the test moves, and a failure a replacement does not cure
    long[] now = {0};
    StreamsFailureHandler handler =
        new StreamsFailureHandler(new StreamsClients(), List.of("raw"), () -> now[0]);
    Throwable diskFull =
        new StreamsException(
            new org.apache.kafka.streams.errors.ProcessorStateException(
                "Error while putting key into store dedup-store:\n No space left on device"));

    // When it fails once, then again 3 s later, and then nothing fails for a minute
    handler.handle(diskFull);
    String afterOne = handler.failing();
    now[0] += java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
    handler.handle(diskFull);
    now[0] += java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    String afterTwo = handler.failing();
    now[0] += java.util.concurrent.TimeUnit.SECONDS.toNanos(58);
    String aMinuteLater = handler.failing();

    // Then one failure is no loop; two within a minute are, said in one line with the deepest
    // cause; a minute without one forgets them
    assertThat(afterOne).isNull();
    assertThat(afterTwo)
        .isEqualTo(
            "stream threads failed 2 times, each within a minute of the one before, the latest"
                + " 2 s ago: ProcessorStateException: Error while putting key into store"
                + " dedup-store: No space left on device");
    assertThat(aMinuteLater).isNull();
    assertThat(StreamsFailureHandler.summary(new StreamsException("x".repeat(300))))
        .hasSize(203)
        .endsWith("...");
  }

  @Test
  void shouldSayInOneLineWhatKafkaOrTheRegistryRefused() {
    // Given failures of a stream thread: a refused permission deep in the chain, and a bug
    Throwable groupRefused =
        new StreamsException(
            new org.apache.kafka.common.errors.GroupAuthorizationException(
                "Not authorized to access group: kfm-telemetry-streams"));
    Throwable bug = new StreamsException(new IllegalStateException("bug"));

    // When / Then the refusal is named (the deepest cause), a bug is not one
    assertThat(StreamsFailureHandler.refusal(groupRefused))
        .isEqualTo(
            "GroupAuthorizationException: Not authorized to access group: kfm-telemetry-streams");
    assertThat(StreamsFailureHandler.refusal(bug)).isNull();
  }

  @Test
  void shouldNameTheMissingAclsAndWhoLogsInWithoutTheSecret() {
    // Given the service's required operations and what Kafka authorizes
    java.util.Properties kafka = new java.util.Properties();
    kafka.setProperty("security.protocol", "SASL_SSL");
    kafka.setProperty("sasl.mechanism", "SCRAM-SHA-512");
    kafka.setProperty(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"kfm\""
            + " password=\"s3cret\";");
    var required = AccessCheck.required(org.kfm.telemetry.config.AppConfig.defaults(), kafka);
    var authorized =
        new java.util.HashMap<String, java.util.Set<org.apache.kafka.common.acl.AclOperation>>();
    required
        .keySet()
        .forEach(
            r ->
                authorized.put(
                    r,
                    java.util.Set.of(
                        org.apache.kafka.common.acl.AclOperation.READ,
                        org.apache.kafka.common.acl.AclOperation.WRITE,
                        org.apache.kafka.common.acl.AclOperation.DESCRIBE)));
    authorized.put("group kfm-telemetry-streams", java.util.Set.of());
    authorized.put(
        "topic kfm.telemetry.dlq", java.util.Set.of(org.apache.kafka.common.acl.AclOperation.READ));
    authorized.remove("topic kfm.telemetry.alerts");

    // When / Then: what is missing, by resource (unknown ones skipped), and who, without the
    // password
    assertThat(AccessCheck.missing(required, authorized))
        .containsExactly("WRITE on topic kfm.telemetry.dlq", "READ on group kfm-telemetry-streams");
    assertThat(AccessCheck.who(kafka)).isEqualTo("SCRAM-SHA-512 user kfm");
    assertThat(AccessCheck.who(kafka)).doesNotContain("s3cret");
    assertThat(
            AccessCheck.required(
                org.kfm.telemetry.config.AppConfig.defaults().withoutHealth(), kafka))
        .as("without the health checks")
        .containsOnlyKeys(
            "topic kfm.telemetry.raw",
            "topic kfm.telemetry.valid",
            "topic kfm.telemetry.dlq",
            "group kfm-telemetry-streams");
    assertThat(AccessCheck.who(new java.util.Properties())).isEqualTo("the PLAINTEXT client");
  }
}
