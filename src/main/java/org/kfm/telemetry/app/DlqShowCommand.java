package org.kfm.telemetry.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.kfm.telemetry.routing.DeadLetterHeaders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kfm dlq show}: dead letters with their findings, source and value. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Print dead letters, oldest first by partition: where each came from (topic, partition, "
          + "offset of the raw record), its rules and findings, its key and its value pretty-printed "
          + "(the value as stored: redacted where a secret was found). NDJSON with --json."
    },
    footer = {"", "Exit status: 0 done, 2 usage or Kafka error."})
final class DlqShowCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka;

  @Mixin DlqCommand.Since since;

  @Option(
      names = "--rule",
      paramLabel = "RULE",
      description = "Only dead letters that broke this rule, e.g. KFM-TS-002 (repeatable).")
  List<String> rules = List.of();

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "Print at most N dead letters (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--offset",
      paramLabel = "P:O",
      description =
          "Start at offset O of partition P of the dead-letter topic (instead of --since).")
  String offset;

  @Option(names = "--json", description = "Print one JSON object per dead letter.")
  boolean json;

  @Override
  public Integer call() {
    KfmCommand.atLeast("--limit", limit, 1);
    DeadLetterScan.From from =
        offset != null
            ? DeadLetterScan.From.offset(offset)
            : DeadLetterScan.From.since(since.from());
    Properties props = DeadLetterScan.consumer(kafka);
    String topic = kafka.app().topics().dlq();
    PrintWriter out = spec.commandLine().getOut();
    int[] shown = {0};
    DeadLetterScan.scan(
        props,
        topic,
        from,
        letter -> rules.isEmpty() || letter.rules().stream().anyMatch(rules::contains),
        letter -> {
          ObjectNode o = describe(letter);
          if (json) {
            out.println(o.toString());
          } else {
            print(out, letter, o);
          }
          return ++shown[0] < limit;
        });
    if (!json) {
      out.println(
          shown[0] == 0
              ? "no dead letters" + (rules.isEmpty() ? "" : " for " + String.join(", ", rules))
              : shown[0] + " shown");
    }
    return 0;
  }

  static ObjectNode describe(DeadLetterScan.Letter letter) {
    var r = letter.record();
    ObjectNode o = JSON.createObjectNode();
    o.put("dlq", r.topic() + "/" + r.partition() + "/" + r.offset());
    o.put("time", letter.time().toString());
    ObjectNode source = o.putObject("source");
    source.put("topic", letter.header(DeadLetterHeaders.TOPIC));
    source.put("partition", letter.header(DeadLetterHeaders.PARTITION));
    source.put("offset", letter.header(DeadLetterHeaders.OFFSET));
    o.putPOJO("rules", letter.rules());
    o.put("redacted", letter.redacted());
    o.put("truncated", letter.header(DeadLetterHeaders.TRUNCATED));
    o.put("kind", letter.kind());
    o.put("ce_source", letter.source());
    o.put("message", letter.header(DeadLetterHeaders.MESSAGE));
    o.set("findings", DeadLetterScan.findings(letter));
    o.put("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
    JsonNode value = DeadLetterScan.json(r.value());
    if (value != null) {
      o.set("value", value);
    } else if (r.value() == null) {
      o.putNull("value");
    } else {
      String text = new String(r.value(), StandardCharsets.UTF_8);
      boolean readable = java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), r.value());
      if (readable) {
        o.put("value_text", text);
      } else {
        o.put("value_hex", HexFormat.of().formatHex(r.value()));
      }
    }
    return o;
  }

  private static void print(PrintWriter out, DeadLetterScan.Letter letter, ObjectNode o) {
    out.println(
        "== "
            + letter.coordinates()
            + "  "
            + o.path("time").asText()
            + "  "
            + String.join(",", letter.rules())
            + (letter.redacted() ? "  (redacted)" : "")
            + (o.path("truncated").isTextual() ? "  (cut to fit)" : ""));
    JsonNode source = o.path("source");
    out.println(
        "source:   "
            + source.path("topic").asText("?")
            + " "
            + source.path("partition").asText("?")
            + ":"
            + source.path("offset").asText("?")
            + "   kind "
            + letter.kind()
            + "   ce_source "
            + letter.source());
    out.println("key:      " + (o.path("key").isNull() ? "(none)" : o.path("key").asText()));
    if (o.path("truncated").isTextual()) {
      out.println("cut:      " + o.path("truncated").asText());
    }
    JsonNode findings = o.path("findings");
    if (findings.isEmpty()) {
      out.println("reason:   " + o.path("message").asText("(none)"));
    } else {
      out.println("findings:");
      for (JsonNode f : findings) {
        String path = f.path("path").asText();
        out.println(
            "  "
                + f.path("rule").asText()
                + (path.isEmpty() ? "" : " " + path)
                + ": "
                + f.path("message").asText());
      }
    }
    out.println("value:");
    try {
      if (o.has("value")) {
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o.get("value")));
      } else if (o.has("value_text")) {
        out.println(o.get("value_text").asText());
      } else {
        out.println("(not UTF-8) " + o.path("value_hex").asText());
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always prints", e);
    }
    out.println();
  }
}
