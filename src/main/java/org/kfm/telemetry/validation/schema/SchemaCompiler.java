package org.kfm.telemetry.validation.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles JSON Schema draft 2020-12 documents into {@link SchemaNode}s for the hot path. It
 * supports the keywords the telemetry contract uses (type, enum, const, required, properties,
 * additionalProperties, prefixItems, items, min/maxItems, min/maxLength, pattern, minimum, maximum,
 * exclusive bounds, allOf, anyOf, oneOf, not, if/then/else, $ref, $defs) and treats annotations
 * (title, description, format, ...) as such. Any other keyword fails compilation, so the contract
 * files can never use a keyword that would silently go unchecked. Results agree with networknt's
 * validator on the contract (see SchemaEquivalenceTest).
 */
public final class SchemaCompiler {

  private static final Set<String> ANNOTATIONS =
      Set.of(
          "$schema",
          "$id",
          "$defs",
          "$comment",
          "title",
          "description",
          "examples",
          "default",
          "format",
          "deprecated",
          "readOnly",
          "writeOnly");

  private final Function<URI, JsonNode> documents;
  private final Set<String> delegated;
  private final Set<String> seenDelegated = new HashSet<>();
  private final Map<String, SchemaNode> compiled = new HashMap<>();
  private final List<Runnable> pendingRefs = new ArrayList<>();

  /**
   * @param documents loads a schema document by its absolute URI (without fragment)
   * @param delegated keyword locations ({@code <document>#<pointer to keyword>}) left out of the
   *     compiled schema because code checks exactly the same thing (with a more specific rule id);
   *     compilation fails if one of them does not exist, so a schema edit cannot orphan it
   */
  public SchemaCompiler(Function<URI, JsonNode> documents, Set<String> delegated) {
    this.documents = documents;
    this.delegated = Set.copyOf(delegated);
  }

  /** Fails when a delegated keyword location named no keyword of the compiled schemas. */
  public void checkDelegatedLocationsExist() {
    for (String location : delegated) {
      if (!seenDelegated.contains(location)) {
        throw new IllegalArgumentException(
            "delegated schema keyword " + location + " does not exist");
      }
    }
  }

  /** Compiles the schema at {@code uri} (a document, optionally with a JSON Pointer fragment). */
  public SchemaNode compile(URI uri) {
    SchemaNode node = resolve(uri);
    while (!pendingRefs.isEmpty()) {
      List<Runnable> batch = new ArrayList<>(pendingRefs);
      pendingRefs.clear();
      batch.forEach(Runnable::run);
    }
    return node;
  }

  private SchemaNode resolve(URI uri) {
    URI document = withoutFragment(uri);
    String fragment = uri.getRawFragment() == null ? "" : uri.getRawFragment();
    String location = document + "#" + fragment;
    SchemaNode existing = compiled.get(location);
    if (existing != null) {
      return existing;
    }
    JsonNode root = documents.apply(document);
    if (root == null) {
      throw new IllegalArgumentException("schema document not found: " + document);
    }
    JsonNode schema = fragment.isEmpty() ? root : root.at(fragment);
    if (schema.isMissingNode()) {
      throw new IllegalArgumentException("no schema at " + location);
    }
    return compile(schema, document, fragment);
  }

  /** Compiles {@code schema}, found at {@code pointer} of {@code document}, keyword by keyword. */
  SchemaNode compile(JsonNode schema, URI document, String pointer) {
    String location = document + "#" + pointer;
    SchemaNode node = new SchemaNode(location);
    compiled.put(location, node);
    List<SchemaNode.Keyword> keywords = new ArrayList<>();
    if (schema.isBoolean()) {
      if (!schema.booleanValue()) {
        keywords.add(
            (v, p, e) ->
                e != null
                    && SchemaNode.Keyword.fail(
                        e, p.pointer(), "false", location, "no value is allowed here"));
      }
      node.keywords(keywords);
      return node;
    }
    if (!schema.isObject()) {
      throw new IllegalArgumentException("not a schema at " + location);
    }
    Iterator<Map.Entry<String, JsonNode>> members = schema.properties().iterator();
    while (members.hasNext()) {
      Map.Entry<String, JsonNode> member = members.next();
      String keyword = member.getKey();
      String at = pointer + "/" + keyword;
      if (ANNOTATIONS.contains(keyword) || keyword.equals("then") || keyword.equals("else")) {
        continue;
      }
      if (delegated.contains(document + "#" + at)) {
        seenDelegated.add(document + "#" + at);
        continue;
      }
      keywords.add(
          keyword(
              new KeywordSite(this, keyword, member.getValue(), schema, document, at), location));
    }
    node.keywords(keywords);
    return node;
  }

  // The compiled keywords test node types with instanceof, not isObject() and the like: those are
  // calls on a type with many subclasses that the JIT cannot inline, made for every keyword and
  // value.
  private SchemaNode.Keyword keyword(KeywordSite site, String location) {
    return switch (site.keyword()) {
      case "type", "enum", "const" -> ValueKeywords.compile(site);
      case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" ->
          NumberKeywords.compile(site);
      case "minLength", "maxLength", "pattern" -> StringKeywords.compile(site);
      case "prefixItems", "items", "minItems", "maxItems" -> ArrayKeywords.compile(site);
      case "required", "properties", "additionalProperties" -> ObjectKeywords.compile(site);
      case "allOf", "anyOf", "oneOf", "not", "if" -> CompositionKeywords.compile(site);
      case "$ref" -> ref(site);
      default ->
          throw new IllegalArgumentException(
              "unsupported JSON Schema keyword \""
                  + site.keyword()
                  + "\" at "
                  + location
                  + "; extend SchemaCompiler (and its equivalence test) before using it in the contract");
    };
  }

  /**
   * {@code $ref}: resolved once the schema that holds it is compiled, since references may be
   * cyclic.
   */
  private SchemaNode.Keyword ref(KeywordSite site) {
    URI target = site.document().resolve(URI.create(site.arg().textValue()));
    SchemaNode[] resolved = new SchemaNode[1];
    pendingRefs.add(() -> resolved[0] = resolve(target));
    return (v, p, e) -> resolved[0].test(v, p, e);
  }

  private static URI withoutFragment(URI uri) {
    String s = uri.toString();
    int hash = s.indexOf('#');
    return hash < 0 ? uri : URI.create(s.substring(0, hash));
  }
}
