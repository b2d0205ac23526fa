package org.kfm.telemetry.ops;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/** The recent alerts and dead letters of the whole application (see {@link RecentRecords}). */
public interface Recent extends AutoCloseable {

  /** Nothing is followed (tests of other endpoints; the service always follows both topics). */
  Recent NONE =
      new Recent() {
        @Override
        public ObjectNode alerts(Duration span) {
          ObjectNode out = JsonNodeFactory.instance.objectNode().put("caught_up", false);
          out.putArray("alerts");
          return out;
        }

        @Override
        public ObjectNode deadLetters(Duration span) {
          ObjectNode out =
              JsonNodeFactory.instance.objectNode().put("caught_up", false).put("dead_letters", 0);
          out.putArray("by_rule");
          return out;
        }

        @Override
        public void close() {}
      };

  /**
   * {@code {"since", "caught_up", "alerts": [...]}}: the alerts written in the last {@code span},
   * newest first, each with {@code verified}.
   */
  ObjectNode alerts(Duration span);

  /**
   * {@code {"since", "caught_up", "dead_letters": N, "by_rule": [{"rule", "count", "first_minute",
   * "last_minute"}]}}: the dead letters written in the last {@code span}, most frequent rule first
   * (a record that breaks two rules counts once in {@code dead_letters} and once for each rule).
   */
  ObjectNode deadLetters(Duration span);

  @Override
  void close();
}
