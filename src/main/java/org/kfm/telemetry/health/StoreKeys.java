package org.kfm.telemetry.health;

import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The layout of the health stores that are read in time order: a time as 16 hex digits that sort as
 * the (signed) number does, after the scope in the pane store ({@code scope NUL time}) and before
 * the run id in the expiry index ({@code time runId}).
 */
public final class StoreKeys {

  /** Separates a scope from the rest of a key. */
  public static final char SEP = '\u0000';

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final int TIME_CHARS = 16;

  private StoreKeys() {}

  /** The pane store's key of {@code scope}'s pane starting at {@code start}. */
  public static String paneKey(String scope, long start) {
    return scope + SEP + time(start);
  }

  /** The pane start of a pane store key. */
  public static long paneStart(String key) {
    return parseTime(key, key.length() - TIME_CHARS);
  }

  /** The scope of a pane store key. */
  public static String paneScope(String key) {
    return key.substring(0, key.length() - TIME_CHARS - 1);
  }

  /** The expiry index's key of {@code runId} expiring in {@code bucket}. */
  public static String expiryKey(long bucket, String runId) {
    return time(bucket) + runId;
  }

  /** The run id of an expiry index key. */
  public static String runIdOfExpiryKey(String key) {
    return key.substring(TIME_CHARS);
  }

  /** {@code scope}'s panes starting in {@code [fromStart, toStart]}, by start. */
  public static NavigableMap<Long, Pane> panes(
      ReadOnlyKeyValueStore<String, Pane> store, String scope, long fromStart, long toStart) {
    NavigableMap<Long, Pane> out = new TreeMap<>();
    try (KeyValueIterator<String, Pane> it =
        store.range(paneKey(scope, fromStart), paneKey(scope, toStart))) {
      while (it.hasNext()) {
        KeyValue<String, Pane> kv = it.next();
        if (paneScope(kv.key).equals(scope)) {
          out.put(paneStart(kv.key), kv.value);
        }
      }
    }
    return out;
  }

  static String time(long t) {
    long v = t ^ Long.MIN_VALUE;
    char[] out = new char[TIME_CHARS];
    for (int i = TIME_CHARS - 1; i >= 0; i--) {
      out[i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
    return new String(out);
  }

  private static long parseTime(String key, int from) {
    long v = 0;
    for (int i = from; i < from + TIME_CHARS; i++) {
      v = (v << 4) | Character.digit(key.charAt(i), 16);
    }
    return v ^ Long.MIN_VALUE;
  }
}
