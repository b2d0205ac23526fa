package org.kfm.telemetry.validation.rules;

import java.util.Set;
import org.kfm.telemetry.validation.Findings;
import org.kfm.telemetry.validation.Payload;
import org.kfm.telemetry.validation.Rule;
import org.kfm.telemetry.validation.RuleId;

/** KFM-META-005: {@code level} is one of debug, info, warn, error. */
public final class LevelRule implements Rule {

  private static final Set<String> LEVELS = Set.of("debug", "info", "warn", "error");

  @Override
  public void check(Payload payload, Findings findings) {
    if (!payload.root().has("level")) {
      findings.add(RuleId.META_005, "/level", "level is required: one of debug, info, warn, error");
      return;
    }
    String level = Payload.textOf(payload.root().get("level"));
    if (level == null || !LEVELS.contains(level)) {
      findings.add(RuleId.META_005, "/level", "level must be one of debug, info, warn, error");
    }
  }
}
