package org.kfm.telemetry.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificRecord;
import org.kfm.telemetry.avro.Actor;
import org.kfm.telemetry.avro.Artifact;
import org.kfm.telemetry.avro.Correlation;
import org.kfm.telemetry.avro.Deny;
import org.kfm.telemetry.avro.EnvelopeMode;
import org.kfm.telemetry.avro.JsonBigNumber;
import org.kfm.telemetry.avro.JsonValue;
import org.kfm.telemetry.avro.Policy;
import org.kfm.telemetry.avro.Privacy;
import org.kfm.telemetry.avro.Provenance;
import org.kfm.telemetry.avro.Run;
import org.kfm.telemetry.avro.Target;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.avro.Validation;
import org.kfm.telemetry.avro.ValidationWarning;
import org.kfm.telemetry.avro.Waiver;

/**
 * Converts a valid payload to the Avro {@link TelemetryEvent} of {@code kfm.telemetry.valid} and
 * back, losslessly: {@code toPayload(toEvent(p))} has the same RFC 8785 canonical form as {@code
 * p}, and integers stay integers. The mapping is driven by the Avro schema: a payload member whose
 * name and JSON type match a typed field goes there, everything else into the block's {@code extra}
 * map as a {@link JsonValue}.
 */
public final class TelemetryEvents {

  /**
   * The largest integer magnitude stored as an Avro long (2^53 - 2, avsc's limit); larger ones as
   * text.
   */
  public static final long MAX_SAFE_LONG = 9_007_199_254_740_990L;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Fields of TelemetryEvent that describe the record, not the payload. */
  private static final Set<String> NOT_PAYLOAD =
      Set.of("event_time", "envelope", "validation", "extra");

  private static final String EXTRA = "extra";

  private TelemetryEvents() {}

  /**
   * The Avro event for a payload that passed validation.
   *
   * @param payload the payload (must satisfy the contract: schema_version, kind, ts, level,
   *     privacy)
   * @param envelope how it arrived
   * @param contractVersion the validator's contract version
   * @param warnings the validator's warnings, each {rule, path, message}
   */
  public static TelemetryEvent toEvent(
      ObjectNode payload,
      Envelope envelope,
      String contractVersion,
      List<ValidationWarning> warnings) {
    return toEvent(payload, envelope, contractVersion, warnings, Canonical.sha256(payload));
  }

  /**
   * As {@link #toEvent(ObjectNode, Envelope, String, List)}, with the payload digest already
   * computed.
   */
  public static TelemetryEvent toEvent(
      ObjectNode payload,
      Envelope envelope,
      String contractVersion,
      List<ValidationWarning> warnings,
      String payloadDigest) {
    TelemetryEvent event = (TelemetryEvent) toRecord(payload, TelemetryEvent.getClassSchema());
    Rfc3339.Result ts = Rfc3339.parse(payload.path("ts").asText(""));
    if (!ts.isOk()) {
      throw new IllegalArgumentException(
          "payload ts is not RFC 3339; only valid payloads become events");
    }
    event.setEventTime(ts.instant().truncatedTo(ChronoUnit.MICROS));
    event.setEnvelope(envelope(envelope));
    event.setValidation(
        Validation.newBuilder()
            .setContractVersion(contractVersion)
            .setPayloadDigest(payloadDigest)
            .setWarnings(warnings)
            .build());
    return event;
  }

  /**
   * Writes the Avro binary form (TelemetryEvent's schema, without any header) of {@code
   * toEvent(payload, envelope, contractVersion, warnings, payloadDigest)} straight from the
   * payload, without building the event: the same bytes Avro's writer makes of that event, for less
   * work on the hot path.
   *
   * @throws IllegalArgumentException when the payload is not a valid one (a required block or
   *     member missing or of another type), as {@link #toEvent} then makes an event Avro refuses
   */
  public static void write(
      ObjectNode payload,
      Envelope envelope,
      String contractVersion,
      List<ValidationWarning> warnings,
      String payloadDigest,
      Encoder out)
      throws IOException {
    Rfc3339.Result ts = Rfc3339.parse(payload.path("ts").asText(""));
    if (!ts.isOk()) {
      throw new IllegalArgumentException(
          "payload ts is not RFC 3339; only valid payloads become events");
    }
    Instant eventTime = ts.instant().truncatedTo(ChronoUnit.MICROS);
    writeRecord(
        payload,
        TelemetryEvent.getClassSchema(),
        out,
        new Facts(eventTime, envelope, contractVersion, warnings, payloadDigest));
  }

  /** What the event holds besides the payload. */
  private record Facts(
      Instant eventTime,
      Envelope envelope,
      String contractVersion,
      List<ValidationWarning> warnings,
      String payloadDigest) {}

  private static final Schema EVENT_SCHEMA = TelemetryEvent.getClassSchema();
  private static final int EVENT_TIME = EVENT_SCHEMA.getField("event_time").pos();
  private static final int ENVELOPE = EVENT_SCHEMA.getField("envelope").pos();
  private static final int VALIDATION = EVENT_SCHEMA.getField("validation").pos();
  private static final TimeConversions.TimestampMicrosConversion MICROS =
      new TimeConversions.TimestampMicrosConversion();
  private static final Schema JSON_VALUE = JsonValue.getClassSchema().getField("value").schema();
  private static final int JSON_NULL = branch(JSON_VALUE, Schema.Type.NULL);
  private static final int JSON_BOOLEAN = branch(JSON_VALUE, Schema.Type.BOOLEAN);
  private static final int JSON_LONG = branch(JSON_VALUE, Schema.Type.LONG);
  private static final int JSON_DOUBLE = branch(JSON_VALUE, Schema.Type.DOUBLE);
  private static final int JSON_STRING = branch(JSON_VALUE, Schema.Type.STRING);
  private static final int JSON_BIG = branch(JSON_VALUE, Schema.Type.RECORD);
  private static final int JSON_ARRAY = branch(JSON_VALUE, Schema.Type.ARRAY);
  private static final int JSON_OBJECT = branch(JSON_VALUE, Schema.Type.MAP);

  /** The index of a union's null branch; -1 for a union without one or another schema. */
  private static int nullBranch(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return -1;
    }
    for (int i = 0; i < schema.getTypes().size(); i++) {
      if (schema.getTypes().get(i).getType() == Schema.Type.NULL) {
        return i;
      }
    }
    return -1;
  }

  private static int branch(Schema union, Schema.Type type) {
    List<Schema> branches = union.getTypes();
    for (int i = 0; i < branches.size(); i++) {
      if (branches.get(i).getType() == type) {
        return i;
      }
    }
    throw new IllegalStateException("JsonValue has no " + type + " branch");
  }

  private static void writeRecord(ObjectNode object, Schema schema, Encoder out, Facts facts)
      throws IOException {
    Plan plan = PLANS.get(schema);
    if (plan == null) {
      throw new IllegalStateException("no generated record for " + schema.getFullName());
    }
    List<Schema.Field> fields = schema.getFields();
    JsonNode[] placed = new JsonNode[fields.size()];
    int[] branches = new int[fields.size()];
    boolean[] extra = new boolean[object.size()];
    int extras = 0;
    int index = 0;
    for (Map.Entry<String, JsonNode> member : object.properties()) {
      Schema.Field field = plan.typed().get(member.getKey());
      int branch = field == null ? -1 : place(member.getValue(), field.schema());
      if (branch >= 0) {
        placed[field.pos()] = member.getValue();
        branches[field.pos()] = branch;
      } else {
        extra[index] = true;
        extras++;
      }
      index++;
    }
    if (plan.extraPos() < 0 && extras > 0) {
      throw new IllegalArgumentException("members of " + schema.getName() + " with no place");
    }
    for (Schema.Field field : fields) {
      int pos = field.pos();
      if (pos == plan.extraPos()) {
        out.writeMapStart();
        out.setItemCount(extras);
        int at = 0;
        for (Map.Entry<String, JsonNode> member : object.properties()) {
          if (extra[at++]) {
            out.startItem();
            out.writeString(member.getKey());
            writeJsonValue(member.getValue(), out);
          }
        }
        out.writeMapEnd();
      } else if (facts != null && pos == EVENT_TIME) {
        out.writeLong(
            MICROS.toLong(facts.eventTime(), field.schema(), field.schema().getLogicalType()));
      } else if (facts != null && pos == ENVELOPE) {
        writeEnvelope(facts.envelope(), out);
      } else if (facts != null && pos == VALIDATION) {
        out.writeString(facts.contractVersion());
        out.writeString(facts.payloadDigest());
        out.writeArrayStart();
        out.setItemCount(facts.warnings().size());
        for (ValidationWarning warning : facts.warnings()) {
          out.startItem();
          out.writeString(warning.getRule());
          out.writeString(warning.getPath());
          out.writeString(warning.getMessage());
        }
        out.writeArrayEnd();
      } else if (field.schema().getType() == Schema.Type.UNION) {
        if (placed[pos] == null && plan.nullBranch()[pos] >= 0) {
          out.writeIndex(plan.nullBranch()[pos]);
        } else if (placed[pos] == null) {
          throw new IllegalArgumentException(
              schema.getName() + "." + field.name() + " is missing or not a " + field.schema());
        } else {
          out.writeIndex(branches[pos]);
          writeTyped(placed[pos], field.schema().getTypes().get(branches[pos]), out);
        }
      } else if (placed[pos] != null) {
        writeTyped(placed[pos], field.schema(), out);
      } else {
        throw new IllegalArgumentException(
            schema.getName() + "." + field.name() + " is missing or not a " + field.schema());
      }
    }
  }

  /** A value {@link #fits} {@code schema} (not a union), as Avro writes it. */
  private static void writeTyped(JsonNode value, Schema schema, Encoder out) throws IOException {
    switch (schema.getType()) {
      case STRING -> out.writeString(value.textValue());
      case BOOLEAN -> out.writeBoolean(value.booleanValue());
      case LONG -> out.writeLong(value.longValue());
      case DOUBLE -> out.writeDouble(value.doubleValue());
      case RECORD -> writeRecord((ObjectNode) value, schema, out, null);
      case ARRAY -> {
        Schema items = schema.getElementType();
        out.writeArrayStart();
        out.setItemCount(value.size());
        for (JsonNode element : value) {
          out.startItem();
          if (items.getType() == Schema.Type.UNION) {
            int branch = place(element, items);
            out.writeIndex(branch);
            writeTyped(element, items.getTypes().get(branch), out);
          } else {
            writeTyped(element, items, out);
          }
        }
        out.writeArrayEnd();
      }
      case MAP -> writeJsonObject(value, out);
      default -> throw new IllegalStateException("no typed value of " + schema);
    }
  }

  /** A {@link JsonValue}, as Avro writes the one {@link #jsonValue} makes. */
  private static void writeJsonValue(JsonNode node, Encoder out) throws IOException {
    if (node.isTextual()) {
      out.writeIndex(JSON_STRING);
      out.writeString(node.textValue());
    } else if (node.isIntegralNumber()) {
      if (isSafeLong(node)) {
        out.writeIndex(JSON_LONG);
        out.writeLong(node.longValue());
      } else {
        out.writeIndex(JSON_BIG);
        out.writeString(node.bigIntegerValue().toString());
      }
    } else if (node.isNumber()) {
      out.writeIndex(JSON_DOUBLE);
      out.writeDouble(node.doubleValue());
    } else if (node.isBoolean()) {
      out.writeIndex(JSON_BOOLEAN);
      out.writeBoolean(node.booleanValue());
    } else if (node.isArray()) {
      out.writeIndex(JSON_ARRAY);
      out.writeArrayStart();
      out.setItemCount(node.size());
      for (JsonNode element : node) {
        out.startItem();
        writeJsonValue(element, out);
      }
      out.writeArrayEnd();
    } else if (node.isObject()) {
      out.writeIndex(JSON_OBJECT);
      writeJsonObject(node, out);
    } else {
      out.writeIndex(JSON_NULL);
    }
  }

  /** An object as a map of {@link JsonValue}s. */
  private static void writeJsonObject(JsonNode object, Encoder out) throws IOException {
    out.writeMapStart();
    out.setItemCount(object.size());
    for (Map.Entry<String, JsonNode> member : object.properties()) {
      out.startItem();
      out.writeString(member.getKey());
      writeJsonValue(member.getValue(), out);
    }
    out.writeMapEnd();
  }

  private static final Schema ENVELOPE_RECORD = org.kfm.telemetry.avro.Envelope.getClassSchema();

  private static void writeEnvelope(Envelope envelope, Encoder out) throws IOException {
    org.kfm.telemetry.avro.Envelope record = envelope(envelope);
    Schema union = EVENT_SCHEMA.getField("envelope").schema();
    if (record == null) {
      out.writeIndex(branch(union, Schema.Type.NULL));
      return;
    }
    out.writeIndex(branch(union, Schema.Type.RECORD));
    for (Schema.Field field : ENVELOPE_RECORD.getFields()) {
      Object value = record.get(field.pos());
      Schema type = field.schema();
      if (type.getType() == Schema.Type.ENUM) {
        out.writeEnum(type.getEnumOrdinal(value.toString()));
      } else if (value == null) {
        out.writeIndex(branch(type, Schema.Type.NULL));
      } else {
        out.writeIndex(branch(type, Schema.Type.STRING));
        out.writeString(value.toString());
      }
    }
  }

  /** The payload an event was made from (same canonical JSON). */
  public static ObjectNode toPayload(TelemetryEvent event) {
    return toObject(event, NOT_PAYLOAD);
  }

  private static org.kfm.telemetry.avro.Envelope envelope(Envelope envelope) {
    if (envelope == null || envelope.mode() == Envelope.Mode.BARE) {
      return null;
    }
    return org.kfm.telemetry.avro.Envelope.newBuilder()
        .setMode(
            envelope.mode() == Envelope.Mode.CLOUDEVENTS_STRUCTURED
                ? EnvelopeMode.CLOUDEVENTS_STRUCTURED
                : EnvelopeMode.CLOUDEVENTS_BINARY)
        .setId(envelope.id())
        .setSource(envelope.source())
        .setType(envelope.type())
        .setTime(envelope.time())
        .setSubject(envelope.subject())
        .setSpecversion(envelope.specVersion())
        .build();
  }

  // ---- JSON -> Avro
  // ------------------------------------------------------------------------------

  /**
   * Constructors of the generated records, so no class is ever loaded by the name a schema gives.
   */
  private static final Map<String, Supplier<SpecificRecord>> RECORDS =
      Map.ofEntries(
          Map.entry(TelemetryEvent.getClassSchema().getFullName(), TelemetryEvent::new),
          Map.entry(Run.getClassSchema().getFullName(), Run::new),
          Map.entry(Correlation.getClassSchema().getFullName(), Correlation::new),
          Map.entry(Actor.getClassSchema().getFullName(), Actor::new),
          Map.entry(Target.getClassSchema().getFullName(), Target::new),
          Map.entry(Policy.getClassSchema().getFullName(), Policy::new),
          Map.entry(Deny.getClassSchema().getFullName(), Deny::new),
          Map.entry(Waiver.getClassSchema().getFullName(), Waiver::new),
          Map.entry(Provenance.getClassSchema().getFullName(), Provenance::new),
          Map.entry(Artifact.getClassSchema().getFullName(), Artifact::new),
          Map.entry(Privacy.getClassSchema().getFullName(), Privacy::new));

  /**
   * How the members of one record schema's JSON object are placed: its generated record's
   * constructor, the typed fields by member name (without {@code extra}, and for the event without
   * what is not payload), where {@code extra} goes (-1: nowhere), and each field's null branch (-1
   * when it has none).
   */
  private record Plan(
      Supplier<SpecificRecord> constructor,
      Map<String, Schema.Field> typed,
      int extraPos,
      int[] nullBranch) {}

  /**
   * A plan for every record schema the mapping meets (those of TelemetryEvent's schema, by
   * identity: {@link #typed} walks that schema), made once.
   */
  private static final Map<Schema, Plan> PLANS = plans(TelemetryEvent.getClassSchema());

  private static Map<Schema, Plan> plans(Schema event) {
    Map<Schema, Plan> plans = new IdentityHashMap<>();
    addPlans(event, plans, new IdentityHashMap<>(), NOT_PAYLOAD);
    return plans;
  }

  private static void addPlans(
      Schema schema, Map<Schema, Plan> plans, Map<Schema, Boolean> seen, Set<String> skip) {
    if (seen.put(schema, Boolean.TRUE) != null) {
      return;
    }
    switch (schema.getType()) {
      case RECORD -> {
        Supplier<SpecificRecord> constructor = RECORDS.get(schema.getFullName());
        if (constructor != null) {
          Map<String, Schema.Field> typed = new HashMap<>();
          for (Schema.Field field : schema.getFields()) {
            if (!skip.contains(field.name()) && !field.name().equals(EXTRA)) {
              typed.put(field.name(), field);
            }
          }
          Schema.Field extra = schema.getField(EXTRA);
          int[] nullBranch = new int[schema.getFields().size()];
          for (Schema.Field field : schema.getFields()) {
            nullBranch[field.pos()] = nullBranch(field.schema());
          }
          plans.put(
              schema,
              new Plan(
                  constructor, Map.copyOf(typed), extra == null ? -1 : extra.pos(), nullBranch));
        }
        for (Schema.Field field : schema.getFields()) {
          if (!skip.contains(field.name())) {
            addPlans(field.schema(), plans, seen, Set.of());
          }
        }
      }
      case UNION -> schema.getTypes().forEach(t -> addPlans(t, plans, seen, Set.of()));
      case ARRAY -> addPlans(schema.getElementType(), plans, seen, Set.of());
      case MAP -> addPlans(schema.getValueType(), plans, seen, Set.of());
      default -> {}
    }
  }

  private static SpecificRecord toRecord(ObjectNode object, Schema schema) {
    Plan plan = PLANS.get(schema);
    if (plan == null) {
      throw new IllegalStateException("no generated record for " + schema.getFullName());
    }
    SpecificRecord record = plan.constructor().get();
    Map<String, JsonValue> extra = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> members = object.properties().iterator();
    while (members.hasNext()) {
      Map.Entry<String, JsonNode> member = members.next();
      Schema.Field field = plan.typed().get(member.getKey());
      Object typed = field == null ? null : typed(member.getValue(), field.schema());
      if (typed != null) {
        record.put(field.pos(), typed);
      } else {
        extra.put(member.getKey(), jsonValue(member.getValue()));
      }
    }
    if (plan.extraPos() >= 0) {
      record.put(plan.extraPos(), extra);
    } else if (!extra.isEmpty()) {
      throw new IllegalArgumentException(
          "no place for " + extra.keySet() + " in " + schema.getName());
    }
    return record;
  }

  /**
   * The value for a typed field, or null when the JSON value does not fit it (it then goes to
   * extra).
   */
  private static Object typed(JsonNode value, Schema schema) {
    int branch = place(value, schema);
    if (branch < 0) {
      return null;
    }
    Schema type = schema.getType() == Schema.Type.UNION ? schema.getTypes().get(branch) : schema;
    switch (type.getType()) {
      case STRING:
        return value.textValue();
      case BOOLEAN:
        return value.booleanValue();
      case LONG:
        return value.longValue();
      case DOUBLE:
        return value.doubleValue();
      case RECORD:
        return toRecord((ObjectNode) value, type);
      case ARRAY:
        {
          List<Object> items = new ArrayList<>(value.size());
          for (JsonNode element : value) {
            items.add(typed(element, type.getElementType()));
          }
          return items;
        }
      case MAP:
        {
          Map<String, JsonValue> map = new LinkedHashMap<>();
          value.properties().forEach(m -> map.put(m.getKey(), jsonValue(m.getValue())));
          return map;
        }
      default:
        throw new IllegalStateException("no typed value of " + type);
    }
  }

  /**
   * Where a JSON value goes in a typed field of {@code schema}: for a union, the index of the first
   * branch other than null that it fits; otherwise 0 when it fits the schema; -1 when it fits
   * nowhere (it then goes to extra). The one decision both {@link #toEvent} and {@link #write}
   * follow.
   */
  private static int place(JsonNode value, Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return fits(value, schema) ? 0 : -1;
    }
    List<Schema> branches = schema.getTypes();
    for (int i = 0; i < branches.size(); i++) {
      Schema branch = branches.get(i);
      if (branch.getType() != Schema.Type.NULL && fits(value, branch)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean fits(JsonNode value, Schema schema) {
    switch (schema.getType()) {
      case UNION:
        return place(value, schema) >= 0;
      case STRING:
        return value.isTextual();
      case BOOLEAN:
        return value.isBoolean();
      case LONG:
        return isSafeLong(value);
      case DOUBLE:
        return value.isFloatingPointNumber();
      case RECORD:
        return value instanceof ObjectNode && !schema.getName().equals("JsonValue");
      case ARRAY:
        {
          if (!value.isArray()) {
            return false;
          }
          for (JsonNode element : value) {
            if (!fits(element, schema.getElementType())) {
              return false;
            }
          }
          return true;
        }
      case MAP:
        return value instanceof ObjectNode;
      default:
        return false;
    }
  }

  /**
   * Whether {@code value} is an integer every Avro implementation reads exactly as a long: within
   * &plusmn;{@value #MAX_SAFE_LONG}. JavaScript's avsc (under Confluent's JS serdes) refuses a
   * whole record holding a long beyond that, so larger integers are written as {@link
   * JsonBigNumber} text instead.
   */
  static boolean isSafeLong(JsonNode value) {
    return value.isIntegralNumber()
        && value.canConvertToLong()
        && value.longValue() >= -MAX_SAFE_LONG
        && value.longValue() <= MAX_SAFE_LONG;
  }

  /** Any JSON value as a {@link JsonValue}. */
  public static JsonValue jsonValue(JsonNode node) {
    Object value;
    if (node.isTextual()) {
      value = node.textValue();
    } else if (node.isIntegralNumber()) {
      value =
          isSafeLong(node)
              ? (Object) node.longValue()
              : new JsonBigNumber(node.bigIntegerValue().toString());
    } else if (node.isNumber()) {
      value = node.doubleValue();
    } else if (node.isBoolean()) {
      value = node.booleanValue();
    } else if (node.isArray()) {
      List<JsonValue> items = new ArrayList<>(node.size());
      node.forEach(element -> items.add(jsonValue(element)));
      value = items;
    } else if (node.isObject()) {
      Map<String, JsonValue> members = new LinkedHashMap<>();
      node.properties().forEach(m -> members.put(m.getKey(), jsonValue(m.getValue())));
      value = members;
    } else {
      value = null;
    }
    return new JsonValue(value);
  }

  // ---- Avro -> JSON
  // ------------------------------------------------------------------------------

  private static ObjectNode toObject(SpecificRecord record, Set<String> skip) {
    ObjectNode object = NODES.objectNode();
    Schema schema = record.getSchema();
    for (Schema.Field field : schema.getFields()) {
      Object value = record.get(field.pos());
      if (value == null || skip.contains(field.name()) || field.name().equals(EXTRA)) {
        continue;
      }
      object.set(field.name(), json(value));
    }
    Schema.Field extraField = schema.getField(EXTRA);
    if (extraField != null) {
      @SuppressWarnings("unchecked")
      Map<CharSequence, JsonValue> extra =
          (Map<CharSequence, JsonValue>) record.get(extraField.pos());
      if (extra != null) {
        extra.forEach((k, v) -> object.set(k.toString(), json(v)));
      }
    }
    return object;
  }

  private static JsonNode json(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof JsonValue jsonValue) {
      return json(jsonValue.getValue());
    }
    if (value instanceof JsonBigNumber big) {
      return NODES.numberNode(new BigInteger(big.getText()));
    }
    if (value instanceof SpecificRecord record) {
      return toObject(record, Set.of());
    }
    if (value instanceof CharSequence text) {
      return NODES.textNode(text.toString());
    }
    if (value instanceof Long l) {
      return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE
          ? NODES.numberNode(l.intValue())
          : NODES.numberNode(l);
    }
    if (value instanceof Double d) {
      return NODES.numberNode(d);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode(list.size());
      list.forEach(item -> array.add(json(item)));
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      map.forEach((k, v) -> object.set(k.toString(), json(v)));
      return object;
    }
    if (value instanceof Instant instant) {
      return NODES.textNode(instant.toString());
    }
    throw new IllegalArgumentException("unexpected Avro value " + value.getClass().getName());
  }
}
