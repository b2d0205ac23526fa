package org.kfm.telemetry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.kfm.telemetry.validation.schema.SchemaCompiler;
import org.kfm.telemetry.validation.schema.SchemaError;
import org.kfm.telemetry.validation.schema.SchemaNode;

/**
 * The JSON Schema (draft 2020-12) half of contract v2: the common schema and one schema per known
 * kind, loaded once from the classpath ({@code contracts/telemetry/v2/}, the same files producers
 * use) and compiled up front. Thread-safe.
 */
public final class SchemaContract {

  /**
   * The {@code $id} prefix of the contract's schema files; mapped to the classpath, never fetched.
   */
  public static final String ID_PREFIX = "https://schemas.kfm.org/telemetry/v2/";

  /** Where the schema files are on the classpath. */
  public static final String CLASSPATH_PREFIX = "contracts/telemetry/v2/";

  static final String COMMON = ID_PREFIX + "telemetry.schema.json";

  /** The kinds contract v2 defines, each with {@code kinds/<kind>.schema.json}. */
  public static final Set<String> KNOWN_KINDS =
      Set.of(
          "pipeline.run.started",
          "pipeline.step",
          "pipeline.run.completed",
          "pipeline.run.failed",
          "stream.checkpoint",
          "policy.decision",
          "focus.query",
          "ui.action",
          "wpe.alert");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Keywords of the common schema that semantic rules check exactly (or more strictly), each with
   * its own rule id; they are not evaluated twice on the hot path. The reference validator in the
   * tests still evaluates them, and the equivalence test proves nothing slips through.
   */
  static final Set<String> DELEGATED =
      Set.of(
          COMMON + "#/properties/schema_version/pattern", // VersionRule, KFM-META-001/003
          COMMON + "#/properties/kind/pattern", // KindRule, KFM-KIND-001
          COMMON + "#/properties/kind/maxLength",
          COMMON + "#/properties/level/enum", // LevelRule, KFM-META-005
          COMMON + "#/$defs/joinKey/pattern", // JoinKeyRule, KFM-JOIN-003
          COMMON + "#/$defs/joinKey/minLength",
          COMMON + "#/$defs/joinKey/maxLength",
          COMMON + "#/$defs/digest/pattern", // DigestRule, KFM-META-008
          COMMON + "#/$defs/correlation/properties/trace_id/pattern", // TraceContextRule
          COMMON + "#/$defs/correlation/properties/span_id/pattern",
          COMMON + "#/$defs/correlation/properties/parent_span_id/pattern",
          COMMON + "#/$defs/correlation/properties/traceparent/pattern",
          COMMON + "#/$defs/privacy/properties/classification/enum", // PrivacyRule, KFM-PRIV-001
          COMMON + "#/$defs/signature/properties/algo/const", // SignatureRule, KFM-SIG-002
          COMMON + "#/$defs/signature/properties/key_id/minLength",
          COMMON + "#/$defs/signature/properties/sig/pattern");

  private final SchemaNode common;
  private final Map<String, SchemaNode> byKind;

  /**
   * The contract's schemas, compiled once per JVM (they are immutable and come from the classpath).
   */
  public static SchemaContract standard() {
    return Standard.INSTANCE;
  }

  private static final class Standard {
    static final SchemaContract INSTANCE = new SchemaContract();
  }

  public SchemaContract() {
    SchemaCompiler compiler = new SchemaCompiler(SchemaContract::load, DELEGATED);
    common = compiler.compile(URI.create(COMMON));
    Map<String, SchemaNode> kinds = new HashMap<>();
    for (String kind : KNOWN_KINDS) {
      kinds.put(kind, compiler.compile(URI.create(kindSchemaId(kind))));
    }
    compiler.checkDelegatedLocationsExist();
    byKind = Map.copyOf(kinds);
  }

  /** The {@code $id} of a kind's schema. */
  public static String kindSchemaId(String kind) {
    return ID_PREFIX + "kinds/" + kind + ".schema.json";
  }

  /** Reads a contract schema document from the classpath by its {@code $id}. */
  public static JsonNode load(URI id) {
    String uri = id.toString();
    if (!uri.startsWith(ID_PREFIX)) {
      return null;
    }
    String resource = CLASSPATH_PREFIX + uri.substring(ID_PREFIX.length());
    try (InputStream in = SchemaContract.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("contract schema " + resource + " is not readable JSON", e);
    }
  }

  /**
   * Validates a payload against its kind's schema (or the common one for unknown kinds) and reports
   * each violation as KFM-SCHEMA-001 (common part) or KFM-KIND-003 (kind part), except where a
   * semantic rule has already reported an error at or around the same place.
   */
  void check(Payload payload, Findings findings) {
    String kind = payload.kind();
    SchemaNode schema = kind == null ? common : byKind.getOrDefault(kind, common);
    for (SchemaError error : schema.validate(payload.root())) {
      String pointer = error.pointer();
      if (findings.hasErrorNear(pointer) || isJoinKeyAlternative(error, findings)) {
        continue;
      }
      RuleId rule = error.schemaLocation().startsWith(COMMON) ? RuleId.SCHEMA_001 : RuleId.KIND_003;
      String where = pointer.isEmpty() ? "payload" : pointer.substring(1).replace('/', '.');
      findings.add(rule, pointer, where + ": " + error.message());
    }
  }

  /** The join-key alternatives are reported by KFM-JOIN-001, with a clearer message. */
  private static boolean isJoinKeyAlternative(SchemaError error, Findings findings) {
    return error.schemaLocation().startsWith(COMMON + "#/else")
        && findings.hasRule(RuleId.JOIN_001);
  }
}
