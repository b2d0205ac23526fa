package org.kfm.telemetry.health;

import java.util.Map;
import java.util.regex.Pattern;
import org.kfm.telemetry.config.Slo;

/**
 * Chooses a scope's SLOs: an exact override, else the longest matching glob override, else the
 * default.
 */
public final class SloPolicy {

  private final Slo defaults;
  private final Map<String, Slo> overrides;

  public SloPolicy(Slo defaults, Map<String, Slo> overrides) {
    this.defaults = defaults;
    this.overrides = overrides;
  }

  /** The SLOs of {@code scope} (the fleet scope {@code "*"} uses the defaults). */
  public Slo sloFor(String scope) {
    if (RunTracker.FLEET.equals(scope)) {
      return defaults;
    }
    Slo exact = overrides.get(scope);
    if (exact != null) {
      return exact;
    }
    return overrides.entrySet().stream()
        .filter(
            e ->
                (e.getKey().contains("*") || e.getKey().contains("?"))
                    && glob(e.getKey()).matcher(scope).matches())
        .sorted(
            java.util.Comparator.comparing((Map.Entry<String, Slo> e) -> -e.getKey().length())
                .thenComparing(Map.Entry::getKey))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(defaults);
  }

  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
