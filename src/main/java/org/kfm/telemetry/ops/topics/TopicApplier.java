package org.kfm.telemetry.ops.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Carries out a plan's changes, in order, reporting each one once done; refusals are skipped. As
 * the plan only holds differences, applying the same topics twice leaves nothing to do the second
 * time.
 */
public final class TopicApplier {

  private TopicApplier() {}

  /**
   * Applies {@code plan} through {@code admin}; returns the actions done (a failure stops at that
   * action).
   */
  public static List<Plan.Action> apply(Plan plan, TopicAdmin admin, Consumer<Plan.Action> done) {
    List<Plan.Action> applied = new ArrayList<>();
    for (Plan.Action action : plan.changes()) {
      if (action instanceof Plan.Create create) {
        admin.create(create.spec());
      } else if (action instanceof Plan.AddPartitions add) {
        admin.addPartitions(add.topic(), add.to());
      } else if (action instanceof Plan.AlterConfigs alter) {
        admin.setConfigs(alter.topic(), alter.set());
      }
      applied.add(action);
      done.accept(action);
    }
    return applied;
  }
}
