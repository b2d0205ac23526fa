package org.kfm.telemetry.dev;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.kfm.telemetry.dev.RegistryState.Version;
import org.kfm.telemetry.serde.CompatibilityLevel;

/**
 * The Confluent Schema Registry's rules for subjects, versions, ids, compatibility and deletes over
 * a {@link RegistryState}: every change is first appended to the {@link SchemasLog} (in Confluent's
 * record format) and only then applied, so what was answered is what a restart replays. Refusals
 * are {@link RegistryError}s with Confluent's codes. Callers serialise access (one writer).
 */
final class SchemaStore {

  /** A version path segment: a number, or {@link #LATEST}. */
  static final int LATEST = -1;

  private final RegistryState state;
  private final SchemasLog log;

  SchemaStore(RegistryState state, SchemasLog log) {
    this.state = state;
    this.log = log;
  }

  private void write(SchemasTopicFormat.Entry entry) {
    log.append(entry);
    state.apply(entry);
  }

  /**
   * Registers {@code schema} under {@code subject}: its id. The same schema again is the same
   * version; a schema known under another subject keeps its id; otherwise it must satisfy the
   * subject's compatibility level.
   */
  int register(String subject, Schema schema, boolean checkCompatibility) {
    String canonical = schema.toString();
    List<Version> live = state.versions(subject, false);
    for (Version v : live) {
      if (v.schema().equals(canonical)) {
        return v.id();
      }
    }
    if (checkCompatibility) {
      List<String> problems =
          state.level(subject).problems(schema, live.stream().map(Version::parsed).toList());
      if (!problems.isEmpty()) {
        throw new RegistryError(
            409,
            409,
            "Schema being registered is incompatible with an earlier schema for "
                + "subject \""
                + subject
                + "\" (compatibility "
                + state.level(subject)
                + "): "
                + String.join("; ", problems));
      }
    }
    int id = state.id(canonical).orElse(state.nextId());
    write(SchemasTopicFormat.schema(subject, state.nextVersion(subject), id, canonical, false));
    return id;
  }

  /** The subject's version holding {@code schema}. */
  Version lookup(String subject, Schema schema, boolean includeDeleted) {
    List<Version> versions = existing(subject, includeDeleted);
    String canonical = schema.toString();
    return versions.stream()
        .filter(v -> v.schema().equals(canonical))
        .reduce((a, b) -> b)
        .orElseThrow(() -> RegistryError.schemaNotFound("Schema not found"));
  }

  /** Version {@code version} (or {@link #LATEST}) of {@code subject}. */
  Version version(String subject, int version, boolean includeDeleted) {
    List<Version> versions = existing(subject, includeDeleted);
    if (version == LATEST) {
      return versions.get(versions.size() - 1);
    }
    return versions.stream()
        .filter(v -> v.version() == version)
        .findFirst()
        .orElseThrow(() -> RegistryError.versionNotFound(version));
  }

  /** The subject's versions, oldest first: 40401 when it has none. */
  List<Version> existing(String subject, boolean includeDeleted) {
    List<Version> versions = state.versions(subject, includeDeleted);
    if (versions.isEmpty()) {
      throw RegistryError.subjectNotFound(subject);
    }
    return versions;
  }

  List<String> subjects(boolean includeDeleted) {
    return state.subjects(includeDeleted);
  }

  /** The schema with {@code id}. */
  Version byId(int id) {
    return state
        .byId(id)
        .orElseThrow(() -> RegistryError.schemaNotFound("Schema " + id + " not found"));
  }

  /** The (subject, version) pairs that hold schema {@code id}. */
  List<Version> versionsOf(int id, boolean includeDeleted) {
    byId(id);
    return state.versionsOf(id, includeDeleted);
  }

  /**
   * Why {@code schema} could not follow {@code version} of the subject (one version) or, with
   * {@code version} null, every version its level checks; empty when it could (also when the
   * subject has no version yet).
   */
  List<String> compatibility(String subject, Integer version, Schema schema) {
    List<Version> live = state.versions(subject, false);
    List<Schema> against;
    if (version == null) {
      against = live.stream().map(Version::parsed).toList();
    } else if (version == LATEST) {
      against = live.isEmpty() ? List.of() : List.of(live.get(live.size() - 1).parsed());
    } else {
      against =
          List.of(
              live.stream()
                  .filter(v -> v.version() == version)
                  .findFirst()
                  .orElseThrow(() -> RegistryError.versionNotFound(version))
                  .parsed());
    }
    return state.level(subject).problems(schema, against);
  }

  CompatibilityLevel globalLevel() {
    return state.globalLevel();
  }

  /**
   * The subject's own level; with {@code defaultToGlobal} the global one when it has none, else
   * 40408.
   */
  CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
    Optional<CompatibilityLevel> own = state.subjectLevel(subject);
    if (own.isEmpty() && !defaultToGlobal) {
      throw RegistryError.compatibilityNotConfigured(subject);
    }
    return own.orElse(state.globalLevel());
  }

  /** Sets the global ({@code subject} null) or a subject's level. */
  void setLevel(String subject, CompatibilityLevel level) {
    write(SchemasTopicFormat.config(subject, level));
  }

  /**
   * Drops the subject's own level (40408 when it has none) or resets the global one: the level it
   * had.
   */
  CompatibilityLevel deleteLevel(String subject) {
    CompatibilityLevel before =
        subject == null ? state.globalLevel() : subjectLevel(subject, false);
    write(SchemasTopicFormat.configTombstone(subject));
    return before;
  }

  /**
   * Soft-deletes a subject (its live versions stop being served, their ids stay readable), or with
   * {@code permanent} removes an already soft-deleted one for good: the version numbers deleted.
   */
  List<Integer> deleteSubject(String subject, boolean permanent) {
    List<Version> all = existing(subject, true);
    List<Integer> numbers = new ArrayList<>();
    if (!permanent) {
      List<Version> live = state.versions(subject, false);
      if (live.isEmpty()) {
        throw RegistryError.subjectSoftDeleted(subject);
      }
      live.forEach(v -> numbers.add(v.version()));
      write(SchemasTopicFormat.deleteSubject(subject, all.get(all.size() - 1).version()));
      return numbers;
    }
    if (all.stream().anyMatch(v -> !v.deleted())) {
      throw RegistryError.subjectNotSoftDeleted(subject);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      numbers.add(0, all.get(i).version());
      write(SchemasTopicFormat.schemaTombstone(subject, all.get(i).version()));
    }
    if (state.subjectLevel(subject).isPresent()) {
      write(SchemasTopicFormat.configTombstone(subject));
    }
    return numbers;
  }

  /**
   * Soft-deletes one version, or with {@code permanent} removes an already soft-deleted one: its
   * number.
   */
  int deleteVersion(String subject, int version, boolean permanent) {
    existing(subject, true);
    Version v =
        version == LATEST
            ? version(subject, LATEST, false)
            : state
                .version(subject, version)
                .orElseThrow(() -> RegistryError.versionNotFound(version));
    if (!permanent) {
      if (v.deleted()) {
        throw RegistryError.versionSoftDeleted(subject, v.version());
      }
      write(SchemasTopicFormat.schema(subject, v.version(), v.id(), v.schema(), true));
    } else {
      if (!v.deleted()) {
        throw RegistryError.versionNotSoftDeleted(subject, v.version());
      }
      write(SchemasTopicFormat.schemaTombstone(subject, v.version()));
    }
    return v.version();
  }
}
