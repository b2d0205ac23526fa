package org.kfm.telemetry.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.kfm.telemetry.validation.Validator;
import org.kfm.telemetry.validation.Verdict;

/**
 * Validates the records of a {@link RecordReader} on several threads and hands the verdicts to a
 * sink on the calling thread, in input order. Records go out in batches; at most two batches per
 * thread are in flight, so memory stays bounded whatever the input's size. With one thread it
 * validates inline.
 */
final class OrderedValidation implements AutoCloseable {

  /** Receives each record's verdict, in input order, on the thread that called {@link #run}. */
  interface Sink {
    void accept(RecordReader.Line line, Verdict verdict) throws IOException;
  }

  private static final int BATCH_RECORDS = 256;
  private static final int BATCH_BYTES = 1 << 20;

  private record Batch(List<RecordReader.Line> lines, Verdict[] verdicts) {}

  private final Validator validator;
  private final int threads;
  private final ExecutorService pool;

  OrderedValidation(Validator validator, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1: " + threads);
    }
    this.validator = validator;
    this.threads = threads;
    AtomicInteger count = new AtomicInteger();
    this.pool =
        threads == 1
            ? null
            : Executors.newFixedThreadPool(
                threads,
                task -> {
                  Thread thread = new Thread(task, "kfm-validate-" + count.incrementAndGet());
                  thread.setDaemon(true);
                  return thread;
                });
  }

  /** Validates every record {@code reader} yields, handing each verdict to {@code sink}. */
  void run(RecordReader reader, Sink sink) throws IOException {
    if (pool == null) {
      RecordReader.Line line;
      while ((line = reader.next()) != null) {
        sink.accept(line, validator.validate(line.bytes()));
      }
      return;
    }
    ArrayDeque<Future<Batch>> inFlight = new ArrayDeque<>();
    try {
      List<RecordReader.Line> lines;
      while (!(lines = nextBatch(reader)).isEmpty()) {
        List<RecordReader.Line> batch = lines;
        inFlight.add(pool.submit(() -> validate(batch)));
        while (inFlight.size() >= 2 * threads) {
          deliver(inFlight.poll(), sink);
        }
      }
      while (!inFlight.isEmpty()) {
        deliver(inFlight.poll(), sink);
      }
    } finally {
      inFlight.forEach(f -> f.cancel(true));
    }
  }

  private Batch validate(List<RecordReader.Line> lines) {
    Verdict[] verdicts = new Verdict[lines.size()];
    for (int i = 0; i < verdicts.length; i++) {
      verdicts[i] = validator.validate(lines.get(i).bytes());
    }
    return new Batch(lines, verdicts);
  }

  private static List<RecordReader.Line> nextBatch(RecordReader reader) throws IOException {
    List<RecordReader.Line> lines = new ArrayList<>(BATCH_RECORDS);
    int bytes = 0;
    RecordReader.Line line;
    while (lines.size() < BATCH_RECORDS && bytes < BATCH_BYTES && (line = reader.next()) != null) {
      lines.add(line);
      bytes += line.bytes().length;
    }
    return lines;
  }

  private static void deliver(Future<Batch> future, Sink sink) throws IOException {
    Batch batch;
    try {
      batch = future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new UncheckedIOException(new IOException(cause));
    }
    for (int i = 0; i < batch.verdicts().length; i++) {
      sink.accept(batch.lines().get(i), batch.verdicts()[i]);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
