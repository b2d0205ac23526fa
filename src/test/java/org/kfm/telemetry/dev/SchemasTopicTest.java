package org.kfm.telemetry.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

/** The describe after the create, while the broker asked does not know the new topic yet. */
class SchemasTopicTest {

  private static KafkaFuture<String> failed(RuntimeException e) {
    KafkaFutureImpl<String> future = new KafkaFutureImpl<>();
    future.completeExceptionally(e);
    return future;
  }

  @Test
  void asksAgainWhileTheTopicIsUnknown() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String answer =
        SchemasTopic.whenKnown(
            () ->
                calls.incrementAndGet() < 3
                    ? failed(new UnknownTopicOrPartitionException("not yet"))
                    : KafkaFuture.completedFuture("described"),
            5_000);
    assertThat(answer).isEqualTo("described");
    assertThat(calls).hasValue(3);
  }

  @Test
  void givesUpAtTheTimeoutAndPassesOtherErrorsOnAtOnce() {
    assertThatThrownBy(
            () ->
                SchemasTopic.whenKnown(
                    () -> failed(new UnknownTopicOrPartitionException("never")), 300))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                SchemasTopic.whenKnown(
                    () -> {
                      calls.incrementAndGet();
                      return failed(new TopicAuthorizationException("no"));
                    },
                    5_000))
        .hasCauseInstanceOf(TopicAuthorizationException.class);
    assertThat(calls).hasValue(1);
  }
}
