package org.kfm.telemetry.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import org.erdtman.jcs.NumberToJSON;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) of a Jackson tree, and the payload digest built on
 * it. The tree is written straight into the bytes (or the digest) in canonical form — members
 * sorted by UTF-16 code units, strings escaped as ECMAScript's {@code JSON.stringify} does, every
 * number as the ECMAScript serialization of its IEEE 754 double (the reference implementation's
 * {@code NumberToJSON}) — with no intermediate JSON text; a property test holds it byte for byte to
 * the reference implementation ({@code io.github.erdtman:java-json-canonicalization}).
 */
public final class Canonical {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  private Canonical() {}

  /** The canonical UTF-8 bytes of {@code node}. */
  public static byte[] bytes(JsonNode node) {
    Sink sink = new Sink(null);
    write(node, sink);
    return Arrays.copyOf(sink.buffer, sink.length);
  }

  /** {@code "sha256:" + hex(SHA-256(canonical bytes))}, the contract's digest form. */
  public static String sha256(JsonNode node) {
    Sink sink = new Sink(sha256());
    write(node, sink);
    return "sha256:" + HexFormat.of().formatHex(sink.digest());
  }

  private static void write(JsonNode node, Sink out) {
    switch (node.getNodeType()) {
      case OBJECT -> writeObject(node, out);
      case ARRAY -> {
        out.write('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.write(',');
          }
          write(node.get(i), out);
        }
        out.write(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> writeNumber(node, out);
      case BOOLEAN -> out.write(node.booleanValue() ? TRUE : FALSE);
      case NULL -> out.write(NULL);
      default ->
          throw new IllegalArgumentException("not a JSON value: " + node.getNodeType() + " node");
    }
  }

  private static void writeObject(JsonNode node, Sink out) {
    String[] names = new String[node.size()];
    int n = 0;
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names[n++] = it.next();
    }
    Arrays.sort(names, 0, n); // String order is UTF-16 code unit order, as RFC 8785 wants
    out.write('{');
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.write(',');
      }
      writeString(names[i], out);
      out.write(':');
      write(node.get(names[i]), out);
    }
    out.write('}');
  }

  private static void writeNumber(JsonNode node, Sink out) {
    // Every number is the double the reference parses from the literal Jackson would write.
    double value =
        node.isDouble()
            ? node.doubleValue()
            : node.isIntegralNumber() && node.canConvertToLong()
                ? (double) node.longValue()
                : Double.parseDouble(node.asText());
    try {
      out.writeAscii(NumberToJSON.serializeNumber(value));
    } catch (IOException e) {
      throw new UncheckedIOException("not a finite JSON number: " + value, e);
    }
  }

  private static void writeString(String s, Sink out) {
    out.write('"');
    int length = s.length();
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        switch (c) {
          case '"' -> out.write('\\', '"');
          case '\\' -> out.write('\\', '\\');
          case '\b' -> out.write('\\', 'b');
          case '\f' -> out.write('\\', 'f');
          case '\n' -> out.write('\\', 'n');
          case '\r' -> out.write('\\', 'r');
          case '\t' -> out.write('\\', 't');
          default -> {
            if (c < 0x20) {
              out.write('\\', 'u');
              out.write('0', '0');
              out.write(HEX[c >> 4], HEX[c & 0xF]);
            } else {
              out.write(c);
            }
          }
        }
      } else if (c < 0x800) {
        out.write(0xC0 | (c >> 6), 0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out.write(0xF0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3F));
        out.write(0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        out.write('?'); // an unpaired surrogate, as Java's UTF-8 encoder writes it
      } else {
        out.write(0xE0 | (c >> 12));
        out.write(0x80 | ((c >> 6) & 0x3F), 0x80 | (c & 0x3F));
      }
    }
    out.write('"');
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Bytes collected in a buffer, or fed to a digest whenever the buffer fills. */
  private static final class Sink {
    private final MessageDigest digest;
    private byte[] buffer = new byte[1024];
    private int length;

    Sink(MessageDigest digest) {
      this.digest = digest;
    }

    void write(int b) {
      if (length == buffer.length) {
        makeRoom();
      }
      buffer[length++] = (byte) b;
    }

    void write(int a, int b) {
      write(a);
      write(b);
    }

    void write(byte[] bytes) {
      for (byte b : bytes) {
        write(b);
      }
    }

    void writeAscii(String s) {
      for (int i = 0; i < s.length(); i++) {
        write(s.charAt(i));
      }
    }

    byte[] digest() {
      digest.update(buffer, 0, length);
      length = 0;
      return digest.digest();
    }

    private void makeRoom() {
      if (digest != null) {
        digest.update(buffer, 0, length);
        length = 0;
      } else {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
    }
  }
}
