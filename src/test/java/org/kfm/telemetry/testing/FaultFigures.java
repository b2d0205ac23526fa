package org.kfm.telemetry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * One fault scenario's figures, as docs/reliability.md tabulates them: records in, what came out
 * (valid, dead-lettered, dropped as duplicates), lost and doubled, and the time from the fault's
 * end until records flowed again. {@link #write()} appends the row to {@code
 * target/reliability/figures.md} (with the time of the run), from which the docs are updated.
 *
 * @param scenario what was done, short
 * @param recordsIn distinct input records sent
 * @param valid distinct keys out on kfm.telemetry.valid
 * @param dlq distinct keys out on kfm.telemetry.dlq
 * @param duplicates records the service dropped as duplicates (sent twice on purpose), or -1
 * @param lost input keys found on neither topic
 * @param doubled keys found more than once across the two topics
 * @param recovery from the end of the fault to the next committed output, or null
 * @param notes anything else measured (alerts, stalls, exit statuses)
 */
public record FaultFigures(
    String scenario,
    long recordsIn,
    long valid,
    long dlq,
    long duplicates,
    long lost,
    long doubled,
    Duration recovery,
    String notes) {

  /** Where the rows go. */
  public static final Path FILE = Path.of("target", "reliability", "figures.md");

  /** Appends this row to {@link #FILE} (with a header when the file is new). */
  public void write() {
    try {
      Files.createDirectories(FILE.getParent());
      if (!Files.exists(FILE)) {
        Files.writeString(
            FILE,
            "| scenario | in | valid | dlq | duplicates dropped | lost | doubled | recovery | notes |"
                + " run at |\n|---|---|---|---|---|---|---|---|---|---|\n",
            StandardCharsets.UTF_8);
      }
      String row =
          String.join(
                  " | ",
                  "| " + scenario,
                  Long.toString(recordsIn),
                  Long.toString(valid),
                  Long.toString(dlq),
                  duplicates < 0 ? "–" : Long.toString(duplicates),
                  Long.toString(lost),
                  Long.toString(doubled),
                  recovery == null ? "–" : String.format("%.1f s", recovery.toMillis() / 1000.0),
                  notes,
                  Instant.now().toString())
              + " |\n";
      Files.writeString(FILE, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + FILE, e);
    }
  }
}
