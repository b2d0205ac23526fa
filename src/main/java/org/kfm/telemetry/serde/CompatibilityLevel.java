package org.kfm.telemetry.serde;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * The Confluent Schema Registry compatibility levels, decided by Avro's own {@link
 * SchemaCompatibility}: BACKWARD means the new schema can read data written with the earlier
 * one(s), FORWARD that the earlier one(s) can read data written with the new one, FULL both; the
 * transitive levels check every earlier version, the others only the latest.
 */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean newReadsOld;
  private final boolean oldReadsNew;
  private final boolean transitive;

  CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
    this.newReadsOld = newReadsOld;
    this.oldReadsNew = oldReadsNew;
    this.transitive = transitive;
  }

  /** The level named {@code name} (any case), if it is one. */
  public static Optional<CompatibilityLevel> forName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Why {@code candidate} may not follow {@code earlier} (oldest first) at this level: empty when
   * it may. Only the last earlier schema counts unless the level is transitive.
   */
  public List<String> problems(Schema candidate, List<Schema> earlier) {
    List<String> problems = new ArrayList<>();
    List<Schema> checked =
        transitive || earlier.isEmpty()
            ? earlier
            : earlier.subList(earlier.size() - 1, earlier.size());
    for (Schema old : checked) {
      if (newReadsOld) {
        describe(
            SchemaCompatibility.checkReaderWriterCompatibility(candidate, old),
            "the new schema cannot read " + "data written with an earlier one",
            problems);
      }
      if (oldReadsNew) {
        describe(
            SchemaCompatibility.checkReaderWriterCompatibility(old, candidate),
            "an earlier schema cannot read " + "data written with the new one",
            problems);
      }
    }
    return problems;
  }

  private static void describe(
      SchemaCompatibility.SchemaPairCompatibility result, String what, List<String> problems) {
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    for (Incompatibility i : result.getResult().getIncompatibilities()) {
      problems.add(
          what + ": " + i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")");
    }
    if (result.getResult().getIncompatibilities().isEmpty()) {
      problems.add(what + ": " + result.getDescription());
    }
  }
}
