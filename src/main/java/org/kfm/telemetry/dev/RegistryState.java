package org.kfm.telemetry.dev;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.kfm.telemetry.serde.CompatibilityLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a schema registry knows (subjects, versions, ids, compatibility levels), built only by
 * applying the entries of the {@code _schemas} topic in order, so that replaying the topic rebuilds
 * it exactly. Not thread-safe: its owner serialises access.
 */
final class RegistryState {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryState.class);

  /** One version of a subject; {@code schema} is the canonical Avro text. */
  record Version(
      String subject, int version, int id, String schema, Schema parsed, boolean deleted) {}

  private final Map<String, TreeMap<Integer, Version>> subjects = new TreeMap<>();
  private final Map<String, Integer> idsBySchema = new HashMap<>();
  private final Map<Integer, Version> firstById = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
  private int maxId;

  /**
   * Applies one entry of the topic; entries this registry does not use (modes, contexts, ...) are
   * skipped.
   */
  void apply(SchemasTopicFormat.Entry entry) {
    switch (entry.keyType()) {
      case SchemasTopicFormat.SCHEMA -> applySchema(entry);
      case SchemasTopicFormat.CONFIG -> applyConfig(entry.subject(), entry.value());
      case SchemasTopicFormat.DELETE_SUBJECT -> {
        TreeMap<Integer, Version> versions = subjects.get(entry.subject());
        if (versions != null && entry.value() != null) {
          versions
              .headMap(entry.value().path("version").asInt(), true)
              .replaceAll((v, old) -> deleted(old));
        }
      }
      default -> LOG.debug("skipping a {} entry of the schemas topic", entry.keyType());
    }
  }

  private void applySchema(SchemasTopicFormat.Entry entry) {
    String subject = entry.subject();
    int number = entry.key().path("version").asInt();
    ObjectNode value = entry.value();
    if (value == null) {
      TreeMap<Integer, Version> versions = subjects.get(subject);
      Version removed = versions == null ? null : versions.remove(number);
      if (versions != null && versions.isEmpty()) {
        subjects.remove(subject);
      }
      if (removed != null) {
        forgetIdIfUnused(removed);
      }
      return;
    }
    String type = value.path("schemaType").asText("AVRO");
    Schema parsed;
    try {
      parsed =
          type.equals("AVRO") ? new Schema.Parser().parse(value.path("schema").asText()) : null;
    } catch (SchemaParseException e) {
      parsed = null;
    }
    if (parsed == null) {
      LOG.warn(
          "skipping {} version {} of the schemas topic: not a readable Avro schema ({})",
          subject,
          number,
          type);
      return;
    }
    int id = value.path("id").asInt();
    Version version =
        new Version(
            subject, number, id, parsed.toString(), parsed, value.path("deleted").asBoolean());
    subjects.computeIfAbsent(subject, s -> new TreeMap<>()).put(number, version);
    idsBySchema.putIfAbsent(version.schema(), id);
    firstById.putIfAbsent(id, version);
    maxId = Math.max(maxId, id);
  }

  private void applyConfig(String subject, ObjectNode value) {
    Optional<CompatibilityLevel> level =
        value == null
            ? Optional.empty()
            : CompatibilityLevel.forName(value.path("compatibilityLevel").asText(null));
    if (subject == null) {
      globalLevel = level.orElse(CompatibilityLevel.BACKWARD);
    } else if (level.isPresent()) {
      subjectLevels.put(subject, level.get());
    } else {
      subjectLevels.remove(subject);
    }
  }

  private void forgetIdIfUnused(Version removed) {
    boolean used =
        subjects.values().stream()
            .flatMap(v -> v.values().stream())
            .anyMatch(v -> v.id() == removed.id());
    if (!used) {
      firstById.remove(removed.id());
      idsBySchema.remove(removed.schema());
    }
  }

  private static Version deleted(Version v) {
    return new Version(v.subject(), v.version(), v.id(), v.schema(), v.parsed(), true);
  }

  /** The subject's versions, oldest first; soft-deleted ones only with {@code includeDeleted}. */
  List<Version> versions(String subject, boolean includeDeleted) {
    List<Version> found = new ArrayList<>();
    for (Version v : subjects.getOrDefault(subject, new TreeMap<>()).values()) {
      if (includeDeleted || !v.deleted()) {
        found.add(v);
      }
    }
    return found;
  }

  /**
   * Subjects with at least one version (soft-deleted ones count with {@code includeDeleted}),
   * sorted.
   */
  List<String> subjects(boolean includeDeleted) {
    return subjects.keySet().stream().filter(s -> !versions(s, includeDeleted).isEmpty()).toList();
  }

  Optional<Version> version(String subject, int version) {
    return Optional.ofNullable(subjects.getOrDefault(subject, new TreeMap<>()).get(version));
  }

  /** The id of this canonical schema text under any subject. */
  Optional<Integer> id(String canonicalSchema) {
    return Optional.ofNullable(idsBySchema.get(canonicalSchema));
  }

  /** A version holding schema {@code id} (for its text), if any does. */
  Optional<Version> byId(int id) {
    return Optional.ofNullable(firstById.get(id));
  }

  /** Every version holding schema {@code id}. */
  List<Version> versionsOf(int id, boolean includeDeleted) {
    return subjects.values().stream()
        .flatMap(v -> v.values().stream())
        .filter(v -> v.id() == id && (includeDeleted || !v.deleted()))
        .toList();
  }

  /** The id a new schema gets: one more than any id seen. */
  int nextId() {
    return maxId + 1;
  }

  /**
   * The version number the subject's next schema gets (soft-deleted versions keep their numbers).
   */
  int nextVersion(String subject) {
    TreeMap<Integer, Version> versions = subjects.get(subject);
    return versions == null ? 1 : versions.lastKey() + 1;
  }

  CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  /** The level that applies to {@code subject}: its own, else the global one. */
  CompatibilityLevel level(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }
}
