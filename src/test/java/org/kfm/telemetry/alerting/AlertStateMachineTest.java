package org.kfm.telemetry.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kfm.telemetry.alerting.AlertStateMachine.Transition;
import org.kfm.telemetry.avro.VerdictStatus;

/** OK ↔ BREACHED: fire once, resolve once, hold otherwise. */
class AlertStateMachineTest {

  private static final AlertStatus BREACHED = new AlertStatus(true, 0, "a", 0L);
  private static final AlertStatus OK = new AlertStatus(false, 0, "b", 0L);

  @Test
  void shouldFireOnlyFromOkAndResolveOnlyFromBreached() {
    assertThat(AlertStateMachine.next(null, VerdictStatus.FAIL)).isEqualTo(Transition.FIRE);
    assertThat(AlertStateMachine.next(OK, VerdictStatus.FAIL)).isEqualTo(Transition.FIRE);
    assertThat(AlertStateMachine.next(BREACHED, VerdictStatus.FAIL)).isEqualTo(Transition.HOLD);
    assertThat(AlertStateMachine.next(BREACHED, VerdictStatus.PASS)).isEqualTo(Transition.RESOLVE);
    assertThat(AlertStateMachine.next(OK, VerdictStatus.PASS)).isEqualTo(Transition.HOLD);
    assertThat(AlertStateMachine.next(null, VerdictStatus.PASS)).isEqualTo(Transition.HOLD);
  }

  @Test
  void shouldHoldOnNoVerdict() {
    assertThat(AlertStateMachine.next(BREACHED, VerdictStatus.NO_VERDICT))
        .isEqualTo(Transition.HOLD);
    assertThat(AlertStateMachine.next(null, VerdictStatus.NO_VERDICT)).isEqualTo(Transition.HOLD);
  }
}
