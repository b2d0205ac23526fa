package org.kfm.telemetry.app;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.routing.DeadLetterHeaders;
import org.kfm.telemetry.routing.DeadLetters;
import org.kfm.telemetry.validation.Validator;
import org.kfm.telemetry.validation.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kfm dlq replay}: sends the dead letters that now pass back to the raw topic. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Validate each selected dead letter again, with the contract and the configuration of "
          + "--config (kfm run's defaults without it), and send those that now pass back to the raw "
          + "topic as they were sent (key, value, producer headers) plus the header "
          + "kfm.replay.of=<dlq topic>/<partition>/<offset>, in one transaction. The service's "
          + "de-duplication recognises a record replayed twice, so running the same replay again "
          + "adds nothing to kfm.telemetry.valid. Redacted dead letters cannot be replayed. "
          + "Progress on standard error, a summary on standard output."
    },
    footer = {
      "",
      "Exit status: 0 every selected dead letter was replayed (or would be, with --dry-run), "
          + "1 some are still invalid or redacted, 2 usage or Kafka error."
    })
final class DlqReplayCommand implements Callable<Integer> {

  /** The header that says which dead letter a replayed record was. */
  static final String REPLAY_OF = "kfm.replay.of";

  static final Map<String, String> PRODUCER_DEFAULTS =
      Map.of(
          "max.block.ms", "15000",
          "request.timeout.ms", "10000",
          "delivery.timeout.ms", "30000",
          // the transaction stays open while the whole dead-letter topic is read (the broker's
          // transaction.max.timeout.ms is 15 min by default)
          "transaction.timeout.ms", "600000",
          "client.id", "kfm-dlq-replay");

  private static final int PROGRESS_EVERY = 1000;
  private static final int DETAILS_SHOWN = 20;

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Mixin DlqCommand.Since since;

  @Option(
      names = "--rule",
      paramLabel = "RULE",
      description = "Only dead letters that broke this rule, e.g. KFM-TS-003 (repeatable).")
  List<String> rules = List.of();

  @Option(
      names = "--dry-run",
      description = "Validate and report what would be replayed, send nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws InterruptedException {
    Instant from = since.from();
    Properties consumer = DeadLetterScan.consumer(kafka);
    AppConfig app = kafka.app();
    Validator validator = new Validator(app.validator());
    String dlq = app.topics().dlq();
    String raw = app.topics().raw();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();

    Map<String, Integer> stillInvalid = new TreeMap<>();
    int[] counts = new int[4]; // selected, still invalid, redacted or cut, passing
    // Each record that passes is sent as soon as it is found, inside one transaction committed at
    // the end: memory stays flat however many dead letters there are.
    try (Replay replay = new Replay(dryRun ? null : this::producerProperties)) {
      scan(consumer, dlq, raw, validator, from, err, stillInvalid, counts, replay);
      replay.commit();
    }
    int replayed = counts[3];
    out.println(
        counts[0]
            + " dead letters on "
            + dlq
            + " since "
            + from
            + (rules.isEmpty() ? "" : " breaking " + String.join(" or ", rules))
            + ": "
            + replayed
            + (dryRun ? " would be replayed" : " replayed")
            + " to "
            + raw
            + (dryRun || replayed == 0 ? "" : " (one transaction, committed)")
            + ", "
            + counts[1]
            + " still invalid"
            + (stillInvalid.isEmpty() ? "" : " " + stillInvalid)
            + ", "
            + counts[2]
            + " redacted or cut to fit (cannot be replayed)");
    return counts[1] + counts[2] == 0 ? 0 : 1;
  }

  private void scan(
      Properties consumer,
      String dlq,
      String raw,
      Validator validator,
      Instant from,
      PrintWriter err,
      Map<String, Integer> stillInvalid,
      int[] counts,
      Replay replay) {
    DeadLetterScan.scan(
        consumer,
        dlq,
        DeadLetterScan.From.since(from),
        letter -> rules.isEmpty() || letter.rules().stream().anyMatch(rules::contains),
        letter -> {
          counts[0]++;
          String of =
              letter.record().topic()
                  + "/"
                  + letter.record().partition()
                  + "/"
                  + letter.record().offset();
          String cut = letter.header(DeadLetterHeaders.TRUNCATED);
          if (letter.redacted()) {
            counts[2]++;
            detail(
                err,
                counts[1] + counts[2],
                of + ": redacted (a secret was removed), cannot be replayed");
          } else if (cut != null) {
            counts[2]++;
            detail(err, counts[1] + counts[2], of + ": cut to fit, cannot be replayed: " + cut);
          } else {
            RecordHeaders headers = DeadLetters.producerHeaders(letter.record().headers());
            byte[] value = letter.record().value();
            Verdict verdict =
                value == null ? null : validator.validate(value, DeadLetters.toMap(headers));
            if (verdict == null || !verdict.valid()) {
              counts[1]++;
              List<String> broken = verdict == null ? List.of("(no value)") : verdict.errorRules();
              broken.forEach(rule -> stillInvalid.merge(rule, 1, Integer::sum));
              detail(
                  err,
                  counts[1] + counts[2],
                  of
                      + ": still invalid ("
                      + String.join(", ", broken)
                      + (verdict == null || verdict.errors().isEmpty()
                          ? ""
                          : ": " + verdict.errors().get(0).message())
                      + ")");
            } else {
              headers.remove(REPLAY_OF);
              headers.add(REPLAY_OF, of.getBytes(StandardCharsets.UTF_8));
              replay.send(new ProducerRecord<>(raw, null, letter.record().key(), value, headers));
              counts[3]++;
            }
          }
          if (counts[0] % PROGRESS_EVERY == 0) {
            err.println(
                "kfm dlq replay: " + counts[0] + " dead letters read, " + counts[3] + " pass");
          }
          return true;
        });
  }

  private static void detail(PrintWriter err, int n, String line) {
    if (n <= DETAILS_SHOWN) {
      err.println("kfm dlq replay: " + line);
    } else if (n == DETAILS_SHOWN + 1) {
      err.println("kfm dlq replay: ... (more not shown; kfm dlq show lists them)");
    }
  }

  private Properties producerProperties() {
    Map<String, String> forced = new java.util.HashMap<>(ProduceCommand.PRODUCER_FORCED);
    forced.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kfm-dlq-replay-" + UUID.randomUUID());
    return kafka.properties(PRODUCER_DEFAULTS, ProducerConfig.configNames(), forced);
  }

  /**
   * The replay's one transaction, opened at the first record sent (none with --dry-run): committed
   * by {@link #commit} when every send succeeded, aborted otherwise, so that a replay sends all of
   * its records or none.
   */
  private final class Replay implements AutoCloseable {
    private final java.util.function.Supplier<Properties> producerProperties;
    private KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failed = new AtomicReference<>();
    private String topic;
    private boolean committed;

    /** With {@code producerProperties} null, a dry run: nothing is sent. */
    Replay(java.util.function.Supplier<Properties> producerProperties) {
      this.producerProperties = producerProperties;
    }

    void send(ProducerRecord<byte[], byte[]> record) {
      if (producerProperties == null) {
        return;
      }
      try {
        if (producer == null) {
          topic = record.topic();
          producer = new KafkaProducer<>(producerProperties.get());
          producer.initTransactions();
          producer.beginTransaction();
        }
        producer.send(
            record,
            (metadata, e) -> {
              if (e != null) {
                failed.compareAndSet(null, e);
              }
            });
      } catch (KafkaException e) {
        throw unreachable(e);
      }
    }

    /** Commits what was sent; nothing was replayed when it throws. */
    void commit() {
      if (producer == null) {
        return;
      }
      try {
        producer.flush();
        if (failed.get() == null) {
          producer.commitTransaction();
          committed = true;
          return;
        }
      } catch (KafkaException e) {
        failed.compareAndSet(null, e);
      }
      throw new KfmCommand.UserException(
          "sending to " + topic + " failed, nothing was replayed: " + failed.get().getMessage());
    }

    private KfmCommand.UserException unreachable(KafkaException e) {
      return new KfmCommand.UserException(
          "cannot send to Kafka at " + kafka.bootstrapServers() + ": " + e.getMessage());
    }

    @Override
    public void close() {
      if (producer == null) {
        return;
      }
      if (!committed) {
        try {
          producer.abortTransaction();
        } catch (KafkaException ignored) {
          // the transaction is lost either way; nothing was committed
        }
      }
      producer.close(Duration.ofSeconds(10));
    }
  }
}
