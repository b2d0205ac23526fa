package org.kfm.telemetry.ops.topics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads topics.yaml into {@link TopicSpec}s: {@code defaults} (replication-factor, configs) merged
 * into each of {@code topics} (name, partitions, replication-factor, configs). Any mistake is a
 * {@link TopicsFileException} naming the file, the topic and the key.
 */
public final class TopicsFile {

  /** The file's conventional name, at the repository root. */
  public static final String DEFAULT_NAME = "topics.yaml";

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Set<String> TOP_KEYS = Set.of("defaults", "topics");
  private static final Set<String> DEFAULT_KEYS = Set.of("replication-factor", "configs");
  private static final Set<String> TOPIC_KEYS =
      Set.of("name", "partitions", "replication-factor", "configs");

  private final String source;

  private TopicsFile(String source) {
    this.source = source;
  }

  /** The topics declared in {@code file}. */
  public static List<TopicSpec> load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new TopicsFileException(file + ": no such file");
    } catch (IOException e) {
      throw new TopicsFileException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(file.toString(), text);
  }

  /** The topics declared in {@code yaml}; {@code source} names it in errors. */
  public static List<TopicSpec> parse(String source, String yaml) {
    return new TopicsFile(source).read(yaml);
  }

  private List<TopicSpec> read(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw fail(
          "not valid YAML: "
              + e.getOriginalMessage()
              + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
    }
    if (root == null || root.isMissingNode() || !root.isObject()) {
      throw fail("expected a mapping with 'topics' (and optionally 'defaults')");
    }
    onlyKeys(root, TOP_KEYS, "", "");
    JsonNode defaults = root.path("defaults");
    Short defaultReplication = null;
    Map<String, String> defaultConfigs = Map.of();
    if (!defaults.isMissingNode()) {
      if (!defaults.isObject()) {
        throw fail("key 'defaults': expected a mapping");
      }
      onlyKeys(defaults, DEFAULT_KEYS, "", "defaults.");
      if (defaults.has("replication-factor")) {
        defaultReplication =
            (short)
                positiveInt(
                    defaults.get("replication-factor"),
                    "",
                    "defaults.replication-factor",
                    Short.MAX_VALUE);
      }
      defaultConfigs = configs(defaults.path("configs"), "", "defaults.configs");
    }
    JsonNode topics = root.path("topics");
    if (!topics.isArray() || topics.isEmpty()) {
      throw fail("key 'topics': expected a non-empty list of topics");
    }
    List<TopicSpec> specs = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    int index = 0;
    for (JsonNode topic : topics) {
      index++;
      String where = "topics[" + index + "]: ";
      if (!topic.isObject()) {
        throw fail(where + "expected a mapping with name, partitions, configs");
      }
      JsonNode name = topic.get("name");
      if (name == null || !name.isTextual() || name.asText().isBlank()) {
        throw fail(where + "key 'name' is missing or not a string");
      }
      String topicName = name.asText();
      String prefix = "topic " + topicName + ": ";
      if (!TOPIC_NAME.matcher(topicName).matches()
          || topicName.equals(".")
          || topicName.equals("..")) {
        throw fail(
            prefix + "key 'name': not a valid Kafka topic name (letters, digits, '.', '_', '-')");
      }
      if (!names.add(topicName)) {
        throw fail(prefix + "declared twice");
      }
      onlyKeys(topic, TOPIC_KEYS, prefix, "");
      JsonNode partitions = topic.get("partitions");
      if (partitions == null) {
        throw fail(prefix + "key 'partitions' is missing");
      }
      int count = positiveInt(partitions, prefix, "partitions", Integer.MAX_VALUE);
      Short replication =
          topic.has("replication-factor")
              ? Short.valueOf(
                  (short)
                      positiveInt(
                          topic.get("replication-factor"),
                          prefix,
                          "replication-factor",
                          Short.MAX_VALUE))
              : defaultReplication;
      if (replication == null) {
        throw fail(
            prefix
                + "key 'replication-factor' is missing (and there is no defaults.replication-factor)");
      }
      Map<String, String> configs = new LinkedHashMap<>(defaultConfigs);
      configs.putAll(configs(topic.path("configs"), prefix, "configs"));
      String minIsr = configs.get(TopicSpec.MIN_INSYNC_REPLICAS);
      if (minIsr != null && Integer.parseInt(minIsr) > replication) {
        throw fail(
            prefix
                + "key 'configs.min.insync.replicas' ("
                + minIsr
                + ") is greater than the replication "
                + "factor ("
                + replication
                + "): acks=all writes would always fail");
      }
      specs.add(new TopicSpec(topicName, count, replication, configs));
    }
    return List.copyOf(specs);
  }

  private Map<String, String> configs(JsonNode node, String prefix, String path) {
    if (node.isMissingNode() || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw fail(prefix + "key '" + path + "': expected a mapping of topic configs");
    }
    Map<String, String> configs = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = path + "." + e.getKey();
      JsonNode value = e.getValue();
      if (!value.isValueNode() || value.isNull()) {
        throw fail(prefix + "key '" + key + "': expected a string or a number");
      }
      String text = value.isIntegralNumber() ? value.bigIntegerValue().toString() : value.asText();
      if (e.getKey().equals(TopicSpec.MIN_INSYNC_REPLICAS)) {
        positiveInt(value, prefix, key, Short.MAX_VALUE);
      } else if (e.getKey().endsWith(".ms") || e.getKey().endsWith(".bytes")) {
        try {
          Long.parseLong(text);
        } catch (NumberFormatException ex) {
          throw fail(prefix + "key '" + key + "': expected a whole number, was '" + text + "'");
        }
      }
      configs.put(e.getKey(), text);
    }
    return configs;
  }

  private int positiveInt(JsonNode node, String prefix, String key, int max) {
    long value;
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      value = node.longValue();
    } else if (node.isTextual() && node.asText().matches("\\d{1,10}")) {
      value = Long.parseLong(node.asText());
    } else {
      throw fail(
          prefix
              + "key '"
              + key
              + "': expected a positive whole number, was '"
              + node.asText()
              + "'");
    }
    if (value < 1 || value > max) {
      throw fail(
          prefix
              + "key '"
              + key
              + "': expected a whole number from 1 to "
              + max
              + ", was "
              + value);
    }
    return (int) value;
  }

  private void onlyKeys(JsonNode node, Set<String> allowed, String prefix, String path) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw fail(
            prefix
                + "unknown key '"
                + path
                + key
                + "' (expected one of "
                + new TreeSet<>(allowed)
                + ")");
      }
    }
  }

  private TopicsFileException fail(String message) {
    return new TopicsFileException(source + ": " + message);
  }
}
