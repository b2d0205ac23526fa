package org.kfm.telemetry.validation.rules;

import org.kfm.telemetry.validation.Findings;
import org.kfm.telemetry.validation.Payload;
import org.kfm.telemetry.validation.Rule;
import org.kfm.telemetry.validation.RuleId;

/** KFM-META-005: {@code level} is one of debug, info, warn, error. */
public final class LevelRule implements Rule {

  @Override
  public void check(Payload payload, Findings findings) {
    if (!payload.root().has("level")) {
      findings.add(RuleId.META_005, "/level", "level is required: one of debug, info, warn, error");
      return;
    }
    String level = Payload.textOf(payload.root().get("level"));
    if (level == null
        || !(level.equals("info")
            || level.equals("debug")
            || level.equals("warn")
            || level.equals("error"))) {
      findings.add(RuleId.META_005, "/level", "level must be one of debug, info, warn, error");
    }
  }
}
