package org.kfm.telemetry.dev.bench;

import java.util.Map;

/**
 * How long a fresh instance took to rebuild the state of a drained application from its changelogs,
 * its state directory deleted.
 *
 * @param variant what ran
 * @param records raw records the drained application had processed
 * @param seconds from {@code start()} until the application was RUNNING with every store restored
 * @param restored changelog records restored, by store
 * @param drain the drain that built the state (trial 0)
 */
public record RestoreResult(
    BenchVariant variant,
    long records,
    double seconds,
    Map<String, Long> restored,
    DrainResult drain) {}
