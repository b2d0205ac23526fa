package org.kfm.telemetry.health;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The health stores' time keys sort as the times do, and give back what they hold. */
class StoreKeysTest {

  @Property
  void shouldSortPaneKeysOfOneScopeAsTheirStartsSort(
      @ForAll String scope, @ForAll long a, @ForAll long b) {
    int keys = Integer.signum(StoreKeys.paneKey(scope, a).compareTo(StoreKeys.paneKey(scope, b)));

    assertThat(keys).isEqualTo(Integer.signum(Long.compare(a, b)));
  }

  @Property
  void shouldGiveBackTheScopeAndStartOfAPaneKey(@ForAll String scope, @ForAll long start) {
    String key = StoreKeys.paneKey(scope, start);

    assertThat(StoreKeys.paneScope(key)).isEqualTo(scope);
    assertThat(StoreKeys.paneStart(key)).isEqualTo(start);
  }

  @Property
  void shouldOrderExpiryKeysByBucketFirst(
      @ForAll long a, @ForAll long b, @ForAll String runA, @ForAll String runB) {
    if (a != b) {
      assertThat(
              Integer.signum(StoreKeys.expiryKey(a, runA).compareTo(StoreKeys.expiryKey(b, runB))))
          .isEqualTo(Integer.signum(Long.compare(a, b)));
    }
    assertThat(StoreKeys.runIdOfExpiryKey(StoreKeys.expiryKey(a, runA))).isEqualTo(runA);
  }
}
