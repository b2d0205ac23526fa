package org.kfm.telemetry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The contract catalogue: test cases kept in {@code src/test/resources/catalogue/cases.ndjson}, one
 * JSON object per line:
 *
 * <pre>
 * {"id": "ts-feb-30", "rule": "KFM-TS-002", "base": "minimal",
 *  "patch": {"ts": "2026-02-30T00:00:00Z"},            // RFC 7396 merge patch on the base (null removes)
 *  "set": {"/run/run_id": null},                        // JSON Pointer -> value, applied after patch
 *  "raw": "...", "raw_hex": "...",                      // instead of base: the record bytes exactly
 *  "sign": "trusted" | "untrusted",                     // sign (ed25519, JCS) after patch/set
 *  "after_sign": {"message": "x"},                      // merge patch applied after signing (tampering)
 *  "envelope": "structured" | "binary",                 // wrap the payload in a CloudEvent
 *  "event": {"id": null},                               // merge patch on the structured CloudEvent
 *  "headers": {"ce_id": "..."},                         // record headers (strings)
 *  "errors": ["KFM-TS-002"], "warnings": []}            // exact distinct rule ids expected
 * </pre>
 *
 * Bases are the seed examples (by file name without .json, e.g. {@code pipeline-run-completed}) and
 * {@code minimal}. Every case names the rule it is about; a case whose expected ids include its
 * rule triggers it, one whose ids do not is its close miss.
 */
public final class ContractCatalogue {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String[] SEEDS = {
    "focus-query",
    "pipeline-run-completed",
    "pipeline-run-started",
    "pipeline-step",
    "policy-decision",
    "stream-checkpoint",
    "template-copy-me",
    "ui-action",
    "wpe-alert"
  };

  /** One catalogue case, resolved to the bytes and headers to validate. */
  public record Case(
      String id,
      String rule,
      byte[] value,
      Map<String, byte[]> headers,
      List<String> errors,
      List<String> warnings) {
    public boolean triggers() {
      return errors.contains(rule) || warnings.contains(rule);
    }

    @Override
    public String toString() {
      return id;
    }
  }

  private ContractCatalogue() {}

  /** The names of the nine seed examples (file names without {@code .json}). */
  public static List<String> seedNames() {
    return List.of(SEEDS);
  }

  public static byte[] seed(String name) {
    return resource("/seed-examples/" + name + ".json");
  }

  public static List<Case> load() {
    Map<String, ObjectNode> bases = new LinkedHashMap<>();
    try {
      for (String seed : SEEDS) {
        bases.put(seed, (ObjectNode) MAPPER.readTree(seed(seed)));
      }
      bases.put("minimal", (ObjectNode) MAPPER.readTree(resource("/catalogue/minimal.json")));
      List<Case> cases = new ArrayList<>();
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(
                  ContractCatalogue.class.getResourceAsStream("/catalogue/cases.ndjson"),
                  StandardCharsets.UTF_8))) {
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
          number++;
          if (line.isBlank() || line.startsWith("//")) {
            continue;
          }
          JsonNode spec = MAPPER.readTree(line);
          cases.add(toCase(spec, bases, number));
        }
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Case toCase(JsonNode spec, Map<String, ObjectNode> bases, int line)
      throws IOException {
    String id = spec.path("id").asText("line-" + line);
    byte[] value;
    if (spec.has("raw")) {
      value = spec.get("raw").asText().getBytes(StandardCharsets.UTF_8);
    } else if (spec.has("raw_hex")) {
      value = HexFormat.of().parseHex(spec.get("raw_hex").asText());
    } else {
      ObjectNode base = bases.get(spec.path("base").asText("minimal"));
      if (base == null) {
        throw new IllegalArgumentException("case " + id + ": unknown base " + spec.path("base"));
      }
      ObjectNode payload = base.deepCopy();
      if (spec.has("patch")) {
        merge(payload, spec.get("patch"));
      }
      if (spec.has("set")) {
        Iterator<Map.Entry<String, JsonNode>> sets = spec.get("set").fields();
        while (sets.hasNext()) {
          Map.Entry<String, JsonNode> set = sets.next();
          setAt(payload, set.getKey(), set.getValue());
        }
      }
      if (spec.has("sign")) {
        java.security.KeyPair pair =
            spec.get("sign").asText().equals("trusted") ? TestKeys.PAIR : TestKeys.UNTRUSTED;
        TestKeys.sign(
            payload,
            pair.getPrivate(),
            org.kfm.telemetry.contract.Ed25519Keys.keyId(pair.getPublic()));
      }
      if (spec.has("after_sign")) {
        merge(payload, spec.get("after_sign"));
      }
      String envelope = spec.path("envelope").asText("");
      if (envelope.equals("structured")) {
        ObjectNode event = MAPPER.createObjectNode();
        event
            .put("specversion", "1.0")
            .put("id", "evt-" + id)
            .put("source", "/kfm/test")
            .put("type", "org.kfm.telemetry")
            .put("datacontenttype", "application/json");
        event.set("data", payload);
        if (spec.has("event")) {
          merge(event, spec.get("event"));
        }
        payload = event;
      }
      value = MAPPER.writeValueAsBytes(payload);
    }
    Map<String, byte[]> headers = new LinkedHashMap<>();
    if (spec.path("envelope").asText("").equals("binary")) {
      headers.put("ce_specversion", bytes("1.0"));
      headers.put("ce_id", bytes("evt-" + id));
      headers.put("ce_source", bytes("/kfm/test"));
      headers.put("ce_type", bytes("org.kfm.telemetry"));
    }
    if (spec.has("headers")) {
      Iterator<Map.Entry<String, JsonNode>> hs = spec.get("headers").fields();
      while (hs.hasNext()) {
        Map.Entry<String, JsonNode> h = hs.next();
        if (h.getValue().isNull()) {
          headers.remove(h.getKey());
        } else {
          headers.put(h.getKey(), bytes(h.getValue().asText()));
        }
      }
    }
    return new Case(
        id,
        spec.path("rule").asText(),
        value,
        headers,
        ids(spec.get("errors")),
        ids(spec.get("warnings")));
  }

  private static List<String> ids(JsonNode array) {
    TreeSet<String> ids = new TreeSet<>();
    if (array != null) {
      array.forEach(n -> ids.add(n.asText()));
    }
    return List.copyOf(ids);
  }

  /** RFC 7396 JSON Merge Patch. */
  static void merge(ObjectNode target, JsonNode patch) {
    Iterator<Map.Entry<String, JsonNode>> members = patch.fields();
    while (members.hasNext()) {
      Map.Entry<String, JsonNode> m = members.next();
      if (m.getValue().isNull()) {
        target.remove(m.getKey());
      } else if (m.getValue().isObject() && target.get(m.getKey()) instanceof ObjectNode inner) {
        merge(inner, m.getValue());
      } else {
        target.set(m.getKey(), m.getValue().deepCopy());
      }
    }
  }

  private static void setAt(ObjectNode root, String pointer, JsonNode value) {
    int slash = pointer.lastIndexOf('/');
    String parentPointer = pointer.substring(0, slash);
    String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
    JsonNode parent = parentPointer.isEmpty() ? root : root.at(parentPointer);
    if (parent instanceof ObjectNode object) {
      object.set(last, value.deepCopy());
    } else if (parent instanceof ArrayNode array) {
      int index = Integer.parseInt(last);
      if (index == array.size()) {
        array.add(value.deepCopy());
      } else {
        array.set(index, value.deepCopy());
      }
    } else {
      throw new IllegalArgumentException("set " + pointer + ": no parent container");
    }
  }

  static byte[] resource(String name) {
    try (InputStream in = ContractCatalogue.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
