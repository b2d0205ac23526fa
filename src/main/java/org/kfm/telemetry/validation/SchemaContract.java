package org.kfm.telemetry.validation;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON Schema (draft 2020-12) half of contract v2: the common schema and one schema per known
 * kind, loaded once from the classpath ({@code contracts/telemetry/v2/}, the same files producers
 * use) and compiled up front. Thread-safe.
 */
public final class SchemaContract {

  /** The {@code $id} prefix of the contract's schema files; mapped to the classpath, never fetched. */
  public static final String ID_PREFIX = "https://schemas.kfm.org/telemetry/v2/";
  static final String CLASSPATH_PREFIX = "classpath:contracts/telemetry/v2/";
  static final String COMMON = ID_PREFIX + "telemetry.schema.json";

  /** The kinds contract v2 defines, each with {@code kinds/<kind>.schema.json}. */
  public static final Set<String> KNOWN_KINDS = Set.of(
      "pipeline.run.started", "pipeline.step", "pipeline.run.completed", "pipeline.run.failed",
      "stream.checkpoint", "policy.decision", "focus.query", "ui.action", "wpe.alert");

  private final Schema common;
  private final Map<String, Schema> byKind;

  public SchemaContract() {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
        .schemaIdResolvers(resolvers -> resolvers.mapPrefix(ID_PREFIX, CLASSPATH_PREFIX))
        .schemaRegistryConfig(SchemaRegistryConfig.builder().locale(Locale.ENGLISH).build()));
    common = load(registry, COMMON);
    Map<String, Schema> kinds = new HashMap<>();
    for (String kind : KNOWN_KINDS) {
      kinds.put(kind, load(registry, ID_PREFIX + "kinds/" + kind + ".schema.json"));
    }
    byKind = Map.copyOf(kinds);
  }

  private static Schema load(SchemaRegistry registry, String id) {
    Schema schema = registry.getSchema(SchemaLocation.of(id));
    schema.initializeValidators();
    return schema;
  }

  /**
   * Validates a payload against its kind's schema (or the common one for unknown kinds) and
   * reports each violation as KFM-SCHEMA-001 (common part) or KFM-KIND-003 (kind part), except
   * where a semantic rule has already reported an error at or around the same place.
   */
  void check(Payload payload, Findings findings) {
    String kind = payload.kind();
    Schema schema = kind == null ? common : byKind.getOrDefault(kind, common);
    List<Error> errors = schema.validate(payload.root());
    for (Error error : errors) {
      String pointer = error.getInstanceLocation().toString();
      if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
        pointer = org.kfm.telemetry.contract.JsonPointers.child(pointer, error.getProperty());
      }
      if (findings.hasErrorNear(pointer) || isJoinKeyAlternative(error, findings)) {
        continue;
      }
      String location = String.valueOf(error.getSchemaLocation());
      RuleId rule = location.startsWith(COMMON) ? RuleId.SCHEMA_001 : RuleId.KIND_003;
      findings.add(rule, pointer, describe(pointer, error));
    }
  }

  /** The join-key anyOf is reported by KFM-JOIN-001 with a clearer message. */
  private static boolean isJoinKeyAlternative(Error error, Findings findings) {
    String path = String.valueOf(error.getEvaluationPath());
    return (path.contains("/else/anyOf") || path.endsWith("/else")) && findings.hasRule(RuleId.JOIN_001);
  }

  private static String describe(String pointer, Error error) {
    String where = pointer.isEmpty() ? "payload" : pointer.substring(1).replace('/', '.');
    return where + ": " + error.getMessage();
  }
}
