package org.kfm.telemetry.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.kfm.telemetry.contract.JoinKeys;
import org.kfm.telemetry.dev.DemoTraffic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kfm produce}: sends NDJSON telemetry records to Kafka as they are, one record per line.
 */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
      "Send each non-blank line of an NDJSON file (- for standard input) to Kafka as the record "
          + "value, byte for byte. The key is the line's run.run_id, else its correlation.correlation_id, when the "
          + "line is JSON with one; else no key. acks=all, idempotent producer; stops at the first failure.",
      "With --demo, sends the demo traffic of kfm dev --demo instead of a file."
    },
    footer = {"", "Exit status: 0 every record acknowledged, 2 usage, file or Kafka error."})
public final class ProduceCommand implements Callable<Integer> {

  /** Records larger than this are not read whole (the broker's default limit is 1 MiB anyway). */
  static final int MAX_LINE_BYTES = 16 << 20;

  /**
   * Bounded waits: an unreachable cluster fails within seconds (--command-config may change them).
   */
  static final Map<String, String> PRODUCER_DEFAULTS =
      Map.of(
          "max.block.ms", "15000",
          "request.timeout.ms", "10000",
          "delivery.timeout.ms", "30000",
          "linger.ms", "5",
          "client.id", "kfm-produce");

  /** What this command promises: durable, not duplicated by retries, bytes as they are. */
  public static final Map<String, String> PRODUCER_FORCED =
      Map.of(
          "acks",
          "all",
          "enable.idempotence",
          "true",
          "key.serializer",
          ByteArraySerializer.class.getName(),
          "value.serializer",
          ByteArraySerializer.class.getName());

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The pause between two simulated hours of --demo (tests need none). */
  Duration demoPace = DemoTraffic.PACE;

  /** Makes the producer from the client properties; tests give a MockProducer. */
  final Function<Properties, Producer<byte[], byte[]>> producers;

  ProduceCommand() {
    this(KafkaProducer::new);
  }

  ProduceCommand(Function<Properties, Producer<byte[], byte[]>> producers) {
    this.producers = producers;
  }

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      defaultValue = "kfm.telemetry.raw",
      description = "Topic to send to (default: ${DEFAULT-VALUE}).")
  String topic;

  @Parameters(
      paramLabel = "FILE.ndjson|-",
      arity = "0..1",
      description = "NDJSON file; - reads standard input.")
  String file;

  @Option(
      names = "--demo",
      description =
          "Instead of a file, send the demo traffic of kfm dev --demo (about 200 records, paced over "
              + "~10 s): the seed examples, a simulated day of pipeline runs ending two hours ago, invalid records, "
              + "a duplicate, and one pipeline below its energy SLO, so the service raises an alert.")
  boolean demo;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (demo == (file != null)) {
      throw new KfmCommand.UserException(
          demo
              ? "give either FILE.ndjson or --demo, not both"
              : "missing FILE.ndjson (or - for standard input, or --demo)");
    }
    return demo ? demo() : sendFile();
  }

  private int demo() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Acks acks = new Acks();
    int sent = 0;
    try (Producer<byte[], byte[]> producer = producer()) {
      sent =
          DemoTraffic.publish(
              producer, topic, Instant.now(), DemoTraffic.sleeping(demoPace), acks.callback(""));
    } catch (KafkaException e) {
      acks.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    if (acks.failure() != null) {
      err.println(
          "kfm produce: demo traffic: "
              + acks.failure()
              + " ("
              + acks.acked()
              + " records acknowledged; "
              + "bootstrap "
              + kafka.bootstrapServers()
              + ")");
      return KfmCommand.EXIT_USAGE;
    }
    err.println(
        "kfm produce: "
            + acks.acked()
            + " of "
            + sent
            + " demo records acknowledged by "
            + topic
            + " (acks=all); expect valid, dead-lettered and duplicate records, health checks and an alert for "
            + DemoTraffic.LOW_ENERGY_PIPELINE);
    return 0;
  }

  /** What the broker acknowledged, and the first failure (which stops the command). */
  private static final class Acks {
    private final AtomicLong acked = new AtomicLong();
    private final AtomicReference<String> failure = new AtomicReference<>();

    /**
     * A send callback counting acknowledgements and keeping the first failure, prefixed with {@code
     * where}.
     */
    Callback callback(String where) {
      return (metadata, e) -> {
        if (e == null) {
          acked.incrementAndGet();
        } else {
          fail(
              where
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage()
                  + (e instanceof org.apache.kafka.common.errors.TimeoutException
                      ? " (is the broker up and the address right? does the topic exist? see kfm topics apply)"
                      : ""));
        }
      };
    }

    void fail(String message) {
      failure.compareAndSet(null, message);
    }

    String failure() {
      return failure.get();
    }

    long acked() {
      return acked.get();
    }
  }

  private int sendFile() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    boolean terminal = System.console() != null;
    InputStream in = open();
    Acks acks = new Acks();
    long sent = 0;
    long keyed = 0;
    long lastProgress = 0;
    try (InputStream buffered = new BufferedInputStream(in, 1 << 16);
        Producer<byte[], byte[]> producer = producer()) {
      RecordReader reader = new RecordReader(buffered, MAX_LINE_BYTES);
      RecordReader.Line line;
      while (acks.failure() == null && (line = reader.next()) != null) {
        if (line.bytes().length > MAX_LINE_BYTES) {
          acks.fail(
              "line " + line.number() + ": longer than " + MAX_LINE_BYTES + " bytes, not sent");
          break;
        }
        byte[] key = key(line.bytes());
        keyed += key == null ? 0 : 1;
        producer.send(
            new ProducerRecord<>(topic, key, line.bytes()),
            acks.callback("line " + line.number() + ": "));
        sent++;
        if (terminal && System.nanoTime() - lastProgress > 200_000_000L) {
          lastProgress = System.nanoTime();
          err.print("\rkfm produce: " + acks.acked() + " of " + sent + " records acknowledged");
          err.flush();
        }
      }
      producer.flush();
    } catch (KafkaException e) {
      acks.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    String where = (file.equals("-") ? "standard input" : file) + " to " + topic;
    if (terminal) {
      // Clears the progress line the summary replaces.
      err.print("\r\033[K");
    }
    if (acks.failure() != null) {
      err.println(
          "kfm produce: "
              + acks.failure()
              + " ("
              + acks.acked()
              + " of "
              + sent
              + " records from "
              + where
              + " acknowledged; bootstrap "
              + kafka.bootstrapServers()
              + ")");
      return KfmCommand.EXIT_USAGE;
    }
    err.println(
        "kfm produce: "
            + acks.acked()
            + " record"
            + (acks.acked() == 1 ? "" : "s")
            + " from "
            + where
            + " acknowledged ("
            + keyed
            + " keyed by run_id/correlation_id, acks=all)");
    return 0;
  }

  private Producer<byte[], byte[]> producer() {
    try {
      return producers.apply(
          kafka.properties(PRODUCER_DEFAULTS, ProducerConfig.configNames(), PRODUCER_FORCED));
    } catch (KafkaException e) {
      String cause = e.getCause() != null ? ": " + e.getCause().getMessage() : "";
      throw new KfmCommand.UserException(
          "cannot create a Kafka producer for "
              + kafka.bootstrapServers()
              + ": "
              + e.getMessage()
              + cause);
    }
  }

  private InputStream open() throws IOException {
    if (file.equals("-")) {
      // Standard input is not ours to close.
      return new FilterInputStream(System.in) {
        @Override
        public void close() {}
      };
    }
    try {
      if (Files.isDirectory(Path.of(file))) {
        throw new KfmCommand.UserException(file + ": is a directory");
      }
      return Files.newInputStream(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new KfmCommand.UserException(file + ": no such file");
    }
  }

  /**
   * run.run_id, else correlation.correlation_id, as UTF-8; null when the line has neither (or is
   * not JSON).
   */
  public static byte[] key(byte[] line) {
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (IOException e) {
      return null;
    }
    if (root == null || !root.isObject()) {
      return null;
    }
    String key = JoinKeys.of(root);
    return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
  }
}
