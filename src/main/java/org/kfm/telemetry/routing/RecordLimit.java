package org.kfm.telemetry.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The largest record the service may send to a topic. The producer refuses a record whose batch
 * would be larger than its {@code max.request.size}, the broker one larger than the topic's {@code
 * max.message.bytes} (Kafka's default 1,048,588 bytes), and under exactly-once a refused send
 * aborts the transaction: the record would be processed again and refused again, and its partition
 * would stall. The raw topic takes records up to its own limit, so the dead letter of a record
 * close to it (its value, plus the headers saying why) or the Avro event of a payload close to it
 * can be larger than another topic takes: such a dead letter keeps the first bytes of its value
 * that fit, and says so in {@value DeadLetterHeaders#TRUNCATED}; such an event is dead-lettered
 * ({@link ValidateProcessor}). topics.yaml gives the dead-letter topic 2 MiB and the service's
 * producer sends up to that, so that with its topics as declared no dead letter is cut.
 */
public final class RecordLimit {

  /** Kafka's default {@code max.request.size}. */
  public static final int KAFKA_MAX_REQUEST_SIZE = 1_048_576;

  /** Kafka's default {@code message.max.bytes}, the limit of a topic that sets none of its own. */
  public static final int KAFKA_MAX_MESSAGE_BYTES = 1_048_588;

  /**
   * Streams property carrying the dead-letter topic's {@code max.message.bytes} as the broker
   * reported it at start; without it the topic is taken to have Kafka's default.
   */
  public static final String DLQ_MAX_MESSAGE_BYTES_CONFIG = "kfm.dlq.max.message.bytes";

  /**
   * Kafka's record batch header (v2) and the most a record's own fields (length, attributes,
   * timestamp and offset deltas) take around its key, value and headers.
   */
  private static final int BATCH_OVERHEAD = 61;

  private static final int RECORD_OVERHEAD = 21;

  /** The longest variable-length integer. */
  private static final int VARINT = 5;

  private final int maxBytes;

  public RecordLimit(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * For the dead-letter topic: the producer's {@code max.request.size} in the Streams configuration
   * ({@code producer.max.request.size} first, as Kafka Streams reads it; Kafka's default without
   * either) or the topic's {@code max.message.bytes} ({@value #DLQ_MAX_MESSAGE_BYTES_CONFIG}),
   * whichever is smaller.
   */
  public static RecordLimit deadLetters(Map<String, ?> streamsConfigs) {
    int topic = number(streamsConfigs.get(DLQ_MAX_MESSAGE_BYTES_CONFIG), KAFKA_MAX_MESSAGE_BYTES);
    return new RecordLimit(Math.min(maxRequestSize(streamsConfigs), topic));
  }

  /**
   * For accepted events, on the de-duplication repartition topic (Kafka Streams creates it with the
   * broker's default limit) and the valid topic: the producer's {@code max.request.size} or Kafka's
   * default {@code max.message.bytes}, whichever is smaller.
   */
  public static RecordLimit events(Map<String, ?> streamsConfigs) {
    return new RecordLimit(Math.min(maxRequestSize(streamsConfigs), KAFKA_MAX_MESSAGE_BYTES));
  }

  private static int maxRequestSize(Map<String, ?> streamsConfigs) {
    Object value =
        streamsConfigs.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    if (value == null) {
      value = streamsConfigs.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    }
    return number(value, KAFKA_MAX_REQUEST_SIZE);
  }

  private static int number(Object value, int otherwise) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    try {
      return value == null ? otherwise : Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      return otherwise; // Kafka Streams refuses a max.request.size that is not a number at start
    }
  }

  public int maxBytes() {
    return maxBytes;
  }

  /**
   * At least the bytes a batch of this one record takes (the bound the producer itself checks, with
   * every variable-length integer at its longest).
   */
  public static long size(int keyBytes, int valueBytes, Headers headers) {
    long size = BATCH_OVERHEAD + RECORD_OVERHEAD + 3L * VARINT + keyBytes + valueBytes;
    if (headers != null) {
      for (Header header : headers) {
        size += 2L * VARINT + header.key().getBytes(StandardCharsets.UTF_8).length;
        size += header.value() == null ? 0 : header.value().length;
      }
    }
    return size;
  }

  /** Whether a record of these sizes can be sent. */
  public boolean fits(int keyBytes, int valueBytes, Headers headers) {
    return size(keyBytes, valueBytes, headers) <= maxBytes;
  }

  /**
   * A dead letter that can be sent: as it is when it fits, else its value cut to the bytes that
   * fit; when the headers alone are too large, the source record's own headers are left out first
   * (the service's {@code kfm.*} and Kafka Streams' error headers stay), then its key. What was cut
   * is named in {@value DeadLetterHeaders#TRUNCATED}, with where the whole record is.
   */
  public Fitted fit(byte[] key, byte[] value, Headers headers, DeadLetters.Source source) {
    int valueBytes = value == null ? 0 : value.length;
    int keyBytes = key == null ? 0 : key.length;
    if (fits(keyBytes, valueBytes, headers)) {
      return new Fitted(key, value, headers);
    }
    List<String> cuts = new ArrayList<>();
    Headers kept = headers;
    if (sizeWithNote(keyBytes, headers) > maxBytes) {
      RecordHeaders own = new RecordHeaders();
      int dropped = 0;
      for (Header header : headers) {
        if (header.key().startsWith("kfm.") || header.key().startsWith("__streams.errors.")) {
          own.add(header);
        } else {
          dropped++;
        }
      }
      kept = own;
      if (dropped > 0) {
        cuts.add(dropped + " header(s) of the source record left out");
      }
    }
    if (sizeWithNote(keyBytes, kept) > maxBytes) {
      cuts.add("its key (" + keyBytes + " bytes) left out");
      key = null;
      keyBytes = 0;
    }
    long room = maxBytes - sizeWithNote(keyBytes, kept);
    int keptBytes = (int) Math.max(0, Math.min(valueBytes, room));
    byte[] shortValue = value;
    if (keptBytes < valueBytes) {
      shortValue = Arrays.copyOf(value, keptBytes);
      cuts.add("value cut from " + valueBytes + " to its first " + keptBytes + " bytes");
    }
    String note =
        String.join("; ", cuts)
            + ", to fit one record of at most "
            + maxBytes
            + " bytes (the producer's max.request.size, the topic's max.message.bytes)"
            + (source == null
                ? ""
                : "; the whole record is "
                    + source.topic()
                    + " partition "
                    + source.partition()
                    + " offset "
                    + source.offset()
                    + ", until that topic's retention");
    RecordHeaders out = new RecordHeaders();
    kept.forEach(out::add);
    out.add(DeadLetterHeaders.TRUNCATED, note.getBytes(StandardCharsets.UTF_8));
    return new Fitted(key, shortValue, out);
  }

  /** The size of a record with no value, these headers and the note {@link #fit} adds. */
  private static long sizeWithNote(int keyBytes, Headers headers) {
    return size(keyBytes, 0, headers)
        + 2L * VARINT
        + DeadLetterHeaders.TRUNCATED.length()
        + NOTE_ROOM;
  }

  /** Room for the note: its words, the numbers and a topic name of up to 249 characters. */
  private static final int NOTE_ROOM = 600;

  /** A dead letter's key, value and headers as they can be sent. */
  public record Fitted(byte[] key, byte[] value, Headers headers) {}
}
