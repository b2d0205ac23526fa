package org.kfm.telemetry.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) of a Jackson tree, through the reference
 * implementation ({@code io.github.erdtman:java-json-canonicalization}), and the payload digest
 * built on it.
 */
public final class Canonical {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Canonical() {}

  /** The canonical UTF-8 bytes of {@code node}. */
  public static byte[] bytes(JsonNode node) {
    try {
      return new JsonCanonicalizer(MAPPER.writeValueAsString(node)).getEncodedUTF8();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a Jackson tree could not be written as JSON", e);
    } catch (IOException e) {
      throw new UncheckedIOException("JSON written by Jackson was refused by the canonicalizer", e);
    }
  }

  /** {@code "sha256:" + hex(SHA-256(canonical bytes))}, the contract's digest form. */
  public static String sha256(JsonNode node) {
    return "sha256:" + Sha256.hex(bytes(node));
  }
}
