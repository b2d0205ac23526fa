package org.kfm.telemetry.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The exactly-once account of a run: which of {@code kfm.telemetry.valid} and {@code
 * kfm.telemetry.dlq} each input key (a UTF-8 record key, e.g. a run id) came out on first, and
 * every repeat, as a {@code read_committed} consumer sees them. Tests give each input record a key
 * of its own, then compare {@link #byKey()} with what they sent: a key missing is a record lost, a
 * key in {@link #repeats()} one doubled.
 */
public final class OutputLedger implements AutoCloseable {

  /** The two topics every input record must come out on, exactly once between them. */
  public static final List<String> TOPICS = List.of("kfm.telemetry.valid", "kfm.telemetry.dlq");

  private final CommittedReader reader;
  private final Map<String, String> byKey = new HashMap<>();
  private final List<String> repeats = new ArrayList<>();
  private int counted;

  /**
   * A ledger over {@code reader}, which must read {@link #TOPICS} (it is closed with the ledger).
   */
  public OutputLedger(CommittedReader reader) {
    this.reader = reader;
  }

  /** Records out, repeats included. */
  public int count() {
    catchUp();
    return byKey.size() + repeats.size();
  }

  /** The topic each key came out on first. */
  public Map<String, String> byKey() {
    catchUp();
    return byKey;
  }

  /** The keys that came out again, once per repeat. */
  public List<String> repeats() {
    catchUp();
    return repeats;
  }

  /** Keys of {@code sent} that have not come out. */
  public Set<String> missing(Iterable<String> sent) {
    catchUp();
    Set<String> missing = new HashSet<>();
    sent.forEach(
        k -> {
          if (!byKey.containsKey(k)) {
            missing.add(k);
          }
        });
    return missing;
  }

  /** How many keys came out on {@code topic} (first appearances). */
  public long on(String topic) {
    return byKey().values().stream().filter(topic::equals).count();
  }

  /** Polls until {@code done}; see {@link CommittedReader#pollUntil}. */
  public void pollUntil(BooleanSupplier done, Runnable check, Supplier<String> progress) {
    reader.pollUntil(done, check, progress);
  }

  /** Reads up to the last stable offsets; see {@link CommittedReader#drainToEnd}. */
  public void drainToEnd(Runnable check, Supplier<String> progress) {
    reader.drainToEnd(check, progress);
  }

  private void catchUp() {
    List<ConsumerRecord<byte[], byte[]>> read = reader.records();
    for (; counted < read.size(); counted++) {
      ConsumerRecord<byte[], byte[]> r = read.get(counted);
      String key = new String(r.key(), StandardCharsets.UTF_8);
      if (byKey.putIfAbsent(key, r.topic()) != null) {
        repeats.add(key);
      }
    }
  }

  @Override
  public void close() {
    reader.close();
  }
}
