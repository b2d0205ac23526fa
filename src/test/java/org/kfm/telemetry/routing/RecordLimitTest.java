package org.kfm.telemetry.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class RecordLimitTest {

  private static final DeadLetters.Source SOURCE =
      new DeadLetters.Source("kfm.telemetry.raw", 5, 1234, 0);

  private static Headers headers(int count, int valueBytes) {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < count; i++) {
      headers.add("h" + i, new byte[valueBytes]);
    }
    headers.add(DeadLetterHeaders.RULES, "KFM-PARSE-002".getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  /** What the producer itself checks against max.request.size (Kafka's own bound). */
  private static int kafkaBound(byte[] key, byte[] value, Headers headers) {
    return AbstractRecords.estimateSizeInBytesUpperBound(
        RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, key, value, headers.toArray());
  }

  @Property(tries = 300)
  void shouldBoundTheSizeAsKafkaDoesOrAbove(
      @ForAll @IntRange(max = 300) int keyBytes,
      @ForAll @IntRange(max = 70_000) int valueBytes,
      @ForAll @IntRange(max = 20) int headerCount,
      @ForAll @IntRange(max = 3_000) int headerBytes) {
    byte[] key = new byte[keyBytes];
    byte[] value = new byte[valueBytes];
    Headers headers = headers(headerCount, headerBytes);

    long ours = RecordLimit.size(keyBytes, valueBytes, headers);

    assertThat(ours)
        .isGreaterThanOrEqualTo(kafkaBound(key, value, headers))
        .isLessThanOrEqualTo(kafkaBound(key, value, headers) + 32L + 10L * (headerCount + 1));
  }

  @Property(tries = 300)
  void shouldAlwaysFitAndKeepTheValuesFirstBytes(
      @ForAll @IntRange(min = 2_000, max = 100_000) int limit,
      @ForAll @IntRange(max = 150_000) int keyBytes,
      @ForAll @IntRange(max = 150_000) int valueBytes,
      @ForAll @IntRange(max = 30) int headerCount,
      @ForAll @IntRange(max = 10_000) int headerBytes) {
    RecordLimit recordLimit = new RecordLimit(limit);
    byte[] key = new byte[keyBytes];
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'v');
    Headers headers = headers(headerCount, headerBytes);
    boolean fitted = recordLimit.fits(keyBytes, valueBytes, headers);

    RecordLimit.Fitted letter = recordLimit.fit(key, value, headers, SOURCE);

    int outKey = letter.key() == null ? 0 : letter.key().length;
    assertThat(kafkaBound(letter.key(), letter.value(), letter.headers()))
        .isLessThanOrEqualTo(limit);
    assertThat(RecordLimit.size(outKey, letter.value().length, letter.headers()))
        .isLessThanOrEqualTo(limit);
    assertThat(value).startsWith(letter.value());
    if (fitted) {
      assertThat(letter.key()).isSameAs(key);
      assertThat(letter.value()).isSameAs(value);
      assertThat(letter.headers()).isSameAs(headers);
    } else {
      assertThat(DeadLetters.truncated(letter.headers())).isTrue();
      assertThat(letter.headers().lastHeader(DeadLetterHeaders.RULES))
          .as("the service's own headers stay")
          .isNotNull();
    }
  }

  @Test
  void shouldCutTheValueFirstThenLeaveOutTheSourcesHeadersThenItsKey() {
    RecordLimit limit = new RecordLimit(10_000);
    byte[] key = "run-1".getBytes(StandardCharsets.UTF_8);

    RecordLimit.Fitted valueCut = limit.fit(key, new byte[20_000], headers(2, 100), SOURCE);
    RecordLimit.Fitted headersLeftOut = limit.fit(key, new byte[20_000], headers(3, 4_000), SOURCE);
    RecordLimit.Fitted keyLeftOut = limit.fit(new byte[12_000], new byte[5], headers(0, 0), null);

    assertThat(valueCut.key()).isSameAs(key);
    assertThat(names(valueCut.headers()))
        .containsExactly("h0", "h1", "kfm.errors.rules", "kfm.truncated");
    assertThat(DeadLetters.value(valueCut.headers(), DeadLetterHeaders.TRUNCATED))
        .isEqualTo(
            "value cut from 20000 to its first "
                + valueCut.value().length
                + " bytes, to fit one record of at most 10000 bytes (the producer's"
                + " max.request.size, the topic's max.message.bytes); the whole record is"
                + " kfm.telemetry.raw partition 5 offset 1234, until that topic's retention");
    assertThat(names(headersLeftOut.headers()))
        .containsExactly("kfm.errors.rules", "kfm.truncated");
    assertThat(DeadLetters.value(headersLeftOut.headers(), DeadLetterHeaders.TRUNCATED))
        .startsWith(
            "3 header(s) of the source record left out; value cut from 20000 to its first ");
    assertThat(keyLeftOut.key()).isNull();
    assertThat(keyLeftOut.value()).hasSize(5);
    assertThat(DeadLetters.value(keyLeftOut.headers(), DeadLetterHeaders.TRUNCATED))
        .isEqualTo(
            "its key (12000 bytes) left out, to fit one record of at most 10000 bytes (the"
                + " producer's max.request.size, the topic's max.message.bytes)");
  }

  @Test
  void shouldTakeTheSmallerOfTheProducersAndTheTopicsLimits() {
    assertThat(RecordLimit.deadLetters(Map.of()).maxBytes()).isEqualTo(1_048_576);
    assertThat(RecordLimit.events(Map.of()).maxBytes()).isEqualTo(1_048_576);
    Map<String, Object> service =
        Map.of("max.request.size", "2097152", RecordLimit.DLQ_MAX_MESSAGE_BYTES_CONFIG, "2097152");
    assertThat(RecordLimit.deadLetters(service).maxBytes()).isEqualTo(2_097_152);
    assertThat(RecordLimit.events(service).maxBytes())
        .as("the repartition and valid topics at Kafka's default")
        .isEqualTo(1_048_588);
    assertThat(RecordLimit.deadLetters(Map.of("max.request.size", "2097152")).maxBytes())
        .as("a dead-letter topic whose limit is unknown")
        .isEqualTo(1_048_588);
    assertThat(
            RecordLimit.deadLetters(
                    Map.of(
                        "max.request.size",
                        2_097_152,
                        "producer.max.request.size",
                        " 1500000 ",
                        RecordLimit.DLQ_MAX_MESSAGE_BYTES_CONFIG,
                        "4194304"))
                .maxBytes())
        .isEqualTo(1_500_000);
  }

  private static List<String> names(Headers headers) {
    return Arrays.stream(headers.toArray()).map(Header::key).toList();
  }
}
