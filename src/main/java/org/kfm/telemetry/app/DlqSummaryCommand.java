package org.kfm.telemetry.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kfm dlq summary}: dead letters counted by rule, kind, source or producer. */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = {
      "Count the dead letters written within --since by rule id (a record counts once for each "
          + "rule it broke), kind, CloudEvents source or producer (its client.id header, when it "
          + "sent one), with the first and last time each was seen: a table, or JSON with --json."
    },
    footer = {"", "Exit status: 0 done, 2 usage or Kafka error."})
final class DlqSummaryCommand implements Callable<Integer> {

  enum By {
    rule,
    kind,
    source,
    producer
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Mixin DlqCommand.Since since;

  @Option(
      names = "--by",
      paramLabel = "rule|kind|source|producer",
      defaultValue = "rule",
      description = "What to count by (default: ${DEFAULT-VALUE}).")
  By by;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    Instant from = since.from();
    Properties props = DeadLetterScan.consumer(kafka);
    String topic = kafka.app().topics().dlq();
    DeadLetterScan.Groups groups = new DeadLetterScan.Groups();
    long[] records = {0};
    DeadLetterScan.scan(
        props,
        topic,
        DeadLetterScan.From.since(from),
        letter -> true,
        letter -> {
          records[0]++;
          long time = letter.record().timestamp();
          switch (by) {
            case rule -> letter.rules().forEach(rule -> groups.add(rule, time));
            case kind -> groups.add(letter.kind(), time);
            case source -> groups.add(letter.source(), time);
            case producer -> groups.add(letter.producer(), time);
          }
          return true;
        });
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode root =
          JSON.createObjectNode()
              .put("topic", topic)
              .put("since", from.toString())
              .put("records", records[0])
              .put("by", by.name());
      ArrayNode list = root.putArray("groups");
      for (Map.Entry<String, long[]> g : groups.sorted()) {
        list.addObject()
            .put(by.name(), g.getKey())
            .put("count", g.getValue()[0])
            .put("first_seen", Instant.ofEpochMilli(g.getValue()[1]).toString())
            .put("last_seen", Instant.ofEpochMilli(g.getValue()[2]).toString());
      }
      out.println(root.toString());
      return 0;
    }
    out.println(
        records[0] + " dead letters on " + topic + " since " + from + " by " + by.name() + ":");
    if (records[0] == 0) {
      return 0;
    }
    int width = by.name().length();
    for (Map.Entry<String, long[]> g : groups.sorted()) {
      width = Math.max(width, g.getKey().length());
    }
    String format = "%-" + width + "s  %7s  %-24s  %-24s%n";
    out.printf(
        format, by.name().toUpperCase(java.util.Locale.ROOT), "COUNT", "FIRST SEEN", "LAST SEEN");
    for (Map.Entry<String, long[]> g : groups.sorted()) {
      out.printf(
          format,
          g.getKey(),
          g.getValue()[0],
          Instant.ofEpochMilli(g.getValue()[1]),
          Instant.ofEpochMilli(g.getValue()[2]));
    }
    return 0;
  }
}
