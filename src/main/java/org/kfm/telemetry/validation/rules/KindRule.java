package org.kfm.telemetry.validation.rules;

import java.util.Set;
import org.kfm.telemetry.validation.Findings;
import org.kfm.telemetry.validation.Payload;
import org.kfm.telemetry.validation.Rule;
import org.kfm.telemetry.validation.RuleId;

/**
 * KFM-KIND-001/002: {@code kind} is lower-case and dot-separated, and known to contract v2 (an
 * unknown kind passes with a warning, for forward compatibility).
 */
public final class KindRule implements Rule {

  private static final int MAX_LENGTH = 128;

  private final Set<String> knownKinds;

  public KindRule(Set<String> knownKinds) {
    this.knownKinds = Set.copyOf(knownKinds);
  }

  @Override
  public void check(Payload payload, Findings findings) {
    if (!payload.root().has("kind")) {
      findings.add(RuleId.KIND_001, "/kind", "kind is required, e.g. \"pipeline.run.completed\"");
      return;
    }
    String kind = payload.kind();
    if (kind == null || !isWellFormed(kind)) {
      findings.add(
          RuleId.KIND_001,
          "/kind",
          "kind must be at most "
              + MAX_LENGTH
              + " characters of lower-case words of [a-z0-9_] separated by dots,"
              + " e.g. \"pipeline.run.completed\"");
      return;
    }
    if (!knownKinds.contains(kind)) {
      findings.add(
          RuleId.KIND_002,
          "/kind",
          "kind \""
              + kind
              + "\" is not defined by contract v2; only the common contract was checked");
    }
  }

  /** True for {@code segment(.segment)+} where a segment is {@code [a-z][a-z0-9_]*}. */
  public static boolean isWellFormed(String kind) {
    int n = kind.length();
    if (n == 0 || n > MAX_LENGTH) {
      return false;
    }
    int dots = 0;
    boolean segmentStart = true;
    for (int i = 0; i < n; i++) {
      char c = kind.charAt(i);
      if (segmentStart) {
        if (c < 'a' || c > 'z') {
          return false;
        }
        segmentStart = false;
      } else if (c == '.') {
        dots++;
        segmentStart = true;
      } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return !segmentStart && dots > 0;
  }
}
