package org.kfm.telemetry.validation.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/**
 * One keyword of a schema being compiled, as the keyword families see it: its name and argument,
 * the schema object around it, and where it is; subschemas are compiled through it.
 *
 * @param at JSON Pointer of the keyword in {@code document}
 */
record KeywordSite(
    SchemaCompiler compiler,
    String keyword,
    JsonNode arg,
    JsonNode schema,
    URI document,
    String at) {

  /** The keyword's absolute location, {@code <document>#<pointer>}, as errors report it. */
  String here() {
    return document + "#" + at;
  }

  /** The keyword's argument compiled as a schema. */
  SchemaNode subschema() {
    return compiler.compile(arg, document, at);
  }

  /** Another schema of the same document, at {@code pointer}. */
  SchemaNode subschema(JsonNode subschema, String pointer) {
    return compiler.compile(subschema, document, pointer);
  }

  /** The keyword's argument, an array of schemas, compiled one by one. */
  SchemaNode[] subschemas() {
    SchemaNode[] subs = new SchemaNode[arg.size()];
    for (int i = 0; i < subs.length; i++) {
      subs[i] = compiler.compile(arg.get(i), document, at + "/" + i);
    }
    return subs;
  }
}
