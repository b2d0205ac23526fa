package org.kfm.telemetry.bench;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serde;
import org.kfm.telemetry.health.JsonSerde;
import org.kfm.telemetry.health.RunChange;
import org.kfm.telemetry.health.RunOutcome;
import org.kfm.telemetry.health.RunState;
import org.kfm.telemetry.health.StateSerdes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the health sub-topology pays per state value: a write and a read of a run's state (once per
 * event with a run id) and of a run change (twice per changed checked run, one per scope), in the
 * JSON of earlier versions ({@code format=json}) or {@link StateSerdes}' binary format. One
 * operation = one write and one read. Run: {@code ./mvnw -B -Pbench test-compile exec:exec
 * -Dbench.args="StateSerdesBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StateSerdesBenchmark {

  @Param({"json", "binary"})
  public String format;

  private Serde<RunState> runStates;
  private Serde<RunChange> runChanges;
  private RunState state;
  private RunChange change;

  @Setup
  public void setUp() {
    boolean json = format.equals("json");
    runStates = json ? new JsonSerde<>(RunState.class) : StateSerdes.runStates();
    runChanges = json ? new JsonSerde<>(RunChange.class) : StateSerdes.runChanges();
    state =
        new RunState(
            "kfm.ingest.hydrology.river_gauges",
            true,
            false,
            1764930000000L,
            false,
            1764930004321L);
    RunOutcome before =
        new RunOutcome(
            "01J0M7Q8J7Y7P4B9D1M2000042",
            "kfm.ingest.hydrology.river_gauges",
            1764930000000L,
            true,
            false,
            false);
    RunOutcome after =
        new RunOutcome(
            "01J0M7Q8J7Y7P4B9D1M2000042",
            "kfm.ingest.hydrology.river_gauges",
            1764930000000L,
            true,
            true,
            false);
    change = new RunChange(before, after, 1764930004321L);
  }

  @Benchmark
  public RunState runState() {
    return runStates.deserializer().deserialize("t", runStates.serializer().serialize("t", state));
  }

  @Benchmark
  public RunChange runChange() {
    return runChanges
        .deserializer()
        .deserialize("t", runChanges.serializer().serialize("t", change));
  }
}
