package org.kfm.telemetry.health;

/**
 * The runs of one scope checked in one evaluation interval {@code [start, start + interval)}, as
 * counts, so that an evaluation reads window / interval panes whatever the number of runs; and what
 * was last emitted for the window that ends where this pane ends.
 *
 * @param checked runs checked
 * @param trace of which trace-covered
 * @param energy of which energy-covered
 * @param clamped of which counted at a clamped time
 * @param lastRunAt the latest terminal time among them (epoch ms), or null
 * @param emitted the latest health check emitted for the window ending at this pane's end, or null
 */
public record Pane(
    int checked, int trace, int energy, int clamped, Long lastRunAt, Emitted emitted) {

  static final Pane EMPTY = new Pane(0, 0, 0, 0, null, null);

  /**
   * The revision and a digest of the content of a window's latest health check.
   *
   * @param revision 0, 1, ...
   * @param digest what was counted and judged, to emit a revision only when something changed
   */
  public record Emitted(int revision, int digest) {}

  /** With {@code run} counted ({@code sign} 1) or taken out ({@code sign} -1). */
  Pane plus(RunOutcome run, int sign) {
    Long last = lastRunAt;
    if (sign > 0 && (last == null || run.terminalAt() > last)) {
      last = run.terminalAt();
    }
    return new Pane(
        checked + sign,
        trace + (run.trace() ? sign : 0),
        energy + (run.energy() ? sign : 0),
        clamped + (run.clamped() ? sign : 0),
        last,
        emitted);
  }

  Pane withEmitted(Emitted newEmitted) {
    return new Pane(checked, trace, energy, clamped, lastRunAt, newEmitted);
  }

  /** Whether the counts are those of {@code other} (what was emitted aside). */
  boolean sameCounts(Pane other) {
    return checked == other.checked
        && trace == other.trace
        && energy == other.energy
        && clamped == other.clamped
        && java.util.Objects.equals(lastRunAt, other.lastRunAt);
  }
}
