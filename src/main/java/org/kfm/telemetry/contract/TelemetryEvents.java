package org.kfm.telemetry.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
   * what is not payload), and where {@code extra} goes (-1: nowhere).
   */
  private record Plan(
      Supplier<SpecificRecord> constructor, Map<String, Schema.Field> typed, int extraPos) {}

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
          plans.put(
              schema, new Plan(constructor, Map.copyOf(typed), extra == null ? -1 : extra.pos()));
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
    switch (schema.getType()) {
      case UNION:
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() != Schema.Type.NULL) {
            Object typed = typed(value, branch);
            if (typed != null) {
              return typed;
            }
          }
        }
        return null;
      case STRING:
        return value.isTextual() ? value.textValue() : null;
      case BOOLEAN:
        return value.isBoolean() ? value.booleanValue() : null;
      case LONG:
        return isSafeLong(value) ? value.longValue() : null;
      case DOUBLE:
        return value.isFloatingPointNumber() ? value.doubleValue() : null;
      case RECORD:
        return value instanceof ObjectNode object && !schema.getName().equals("JsonValue")
            ? toRecord(object, schema)
            : null;
      case ARRAY:
        {
          if (!value.isArray()) {
            return null;
          }
          List<Object> items = new ArrayList<>(value.size());
          for (JsonNode element : value) {
            Object item = typed(element, schema.getElementType());
            if (item == null) {
              return null;
            }
            items.add(item);
          }
          return items;
        }
      case MAP:
        {
          if (!(value instanceof ObjectNode object)) {
            return null;
          }
          Map<String, JsonValue> map = new LinkedHashMap<>();
          object.properties().forEach(m -> map.put(m.getKey(), jsonValue(m.getValue())));
          return map;
        }
      default:
        return null;
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
