package org.kfm.telemetry.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.kfm.telemetry.alerting.AlertStateMachine.Transition;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.SloVerdict;
import org.kfm.telemetry.health.HealthMetrics;

/**
 * Runs the alert state machine of each (scope, rule) over health checks, keeping the states in a
 * store so that a restart never repeats an alert; a revision of a window older than the newest one
 * judged is ignored (alerts follow the newest window). Forwards one signed {@code wpe.alert} (JSON,
 * CloudEvents binary headers) per evaluation for the rules that breached, and one for those that
 * recovered, keyed by scope and rules ({@code scope|RULE[,RULE]}).
 */
public final class AlertProcessor implements Processor<String, HealthCheck, String, byte[]> {

  /** The CloudEvents type of alerts. */
  public static final String CE_TYPE = "org.kfm.wpe.alert";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String storeName;
  private final WpeAlerts alerts;
  private final String source;
  private final HealthMetrics metrics;
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<String, AlertStatus> states;

  public AlertProcessor(String storeName, WpeAlerts alerts, String source, HealthMetrics metrics) {
    this.metrics = metrics;
    this.storeName = storeName;
    this.alerts = alerts;
    this.source = source;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.states = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, HealthCheck> record) {
    HealthCheck check = record.value();
    long end = check.getWindowEnd().toEpochMilli();
    List<SloVerdict> firing = new ArrayList<>();
    List<SloVerdict> resolved = new ArrayList<>();
    for (SloVerdict verdict : check.getVerdicts()) {
      String key = check.getScope() + "|" + verdict.getRuleId();
      AlertStatus state = states.get(key);
      if (state != null && state.isOlderThanJudged(end)) {
        continue; // a revision of an older window: alerts follow the newest window only
      }
      Transition t = AlertStateMachine.next(state, verdict.getStatus());
      if (t == Transition.FIRE) {
        firing.add(verdict);
      } else if (t == Transition.RESOLVE) {
        resolved.add(verdict);
      } else {
        AlertStatus held =
            (state == null ? new AlertStatus(false, end, null, null) : state).judging(end);
        if (!held.equals(state)) {
          states.put(key, held);
        }
      }
    }
    emit(record, check, firing, true);
    emit(record, check, resolved, false);
  }

  private void emit(
      Record<String, HealthCheck> record,
      HealthCheck check,
      List<SloVerdict> verdicts,
      boolean firing) {
    if (verdicts.isEmpty()) {
      return;
    }
    ObjectNode alert = alerts.alert(check, verdicts, firing, record.key());
    String id = alert.path("correlation").path("correlation_id").textValue();
    long end = check.getWindowEnd().toEpochMilli();
    List<String> rules = verdicts.stream().map(SloVerdict::getRuleId).toList();
    for (String rule : rules) {
      states.put(check.getScope() + "|" + rule, new AlertStatus(firing, end, id, end));
      metrics.alerted(rule, firing);
    }
    context.forward(
        new Record<>(
            check.getScope() + "|" + String.join(",", rules),
            bytes(alert),
            record.timestamp(),
            headers(id, alert.path("ts").textValue())));
  }

  private Headers headers(String id, String time) {
    Headers headers = new RecordHeaders();
    headers.add("ce_specversion", utf8("1.0"));
    headers.add("ce_id", utf8(id));
    headers.add("ce_source", utf8(source));
    headers.add("ce_type", utf8(CE_TYPE));
    headers.add("ce_time", utf8(time));
    headers.add("content-type", utf8("application/json"));
    return headers;
  }

  private static byte[] bytes(ObjectNode alert) {
    try {
      return MAPPER.writeValueAsBytes(alert);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a Jackson tree always serializes", e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
