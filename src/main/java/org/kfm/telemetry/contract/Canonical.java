package org.kfm.telemetry.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
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

  /**
   * One digesting sink per thread: the digest and its buffer are reused (a digest resets itself
   * when it is read), which saves the provider lookup and the allocations on every record.
   */
  private static final ThreadLocal<Sink> DIGESTING =
      ThreadLocal.withInitial(() -> new Sink(sha256()));

  /** {@code "sha256:" + hex(SHA-256(canonical bytes))}, the contract's digest form. */
  public static String sha256(JsonNode node) {
    Sink sink = DIGESTING.get();
    sink.length = 0;
    try {
      write(node, sink);
      return "sha256:" + HexFormat.of().formatHex(sink.digest());
    } finally {
      sink.digestReset();
    }
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

  @SuppressWarnings("unchecked")
  private static void writeObject(JsonNode node, Sink out) {
    // One pass over the members, sorted by name: no lookup of each member by its name afterwards.
    Map.Entry<String, JsonNode>[] members = new Map.Entry[node.size()];
    int n = 0;
    for (Map.Entry<String, JsonNode> member : node.properties()) {
      members[n++] = member;
    }
    if (n > 1) {
      // String order is UTF-16 code unit order, as RFC 8785 wants
      Arrays.sort(members, 0, n, BY_NAME);
    }
    out.write('{');
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.write(',');
      }
      writeString(members[i].getKey(), out);
      out.write(':');
      write(members[i].getValue(), out);
    }
    out.write('}');
  }

  private static final Comparator<Map.Entry<String, JsonNode>> BY_NAME =
      (a, b) -> a.getKey().compareTo(b.getKey());

  /** Integers up to 2^53 are their own ECMAScript serialization (exact doubles, no exponent). */
  private static final long EXACT = 1L << 53;

  private static void writeNumber(JsonNode node, Sink out) {
    // Every number is the double the reference parses from the literal Jackson would write.
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      long l = node.longValue();
      if (l >= -EXACT && l <= EXACT) {
        out.writeAscii(Long.toString(l));
        return;
      }
    }
    double value =
        node.isDouble()
            ? node.doubleValue()
            : node.isIntegralNumber() && node.canConvertToLong()
                ? (double) node.longValue()
                : Double.parseDouble(node.asText());
    if (value == Math.rint(value) && value >= -EXACT && value <= EXACT) {
      out.writeAscii(Long.toString((long) value)); // -0.0 is "0", as in ECMAScript
      return;
    }
    try {
      out.writeAscii(NumberToJSON.serializeNumber(value));
    } catch (IOException e) {
      throw new UncheckedIOException("not a finite JSON number: " + value, e);
    }
  }

  private static void writeString(String s, Sink out) {
    out.write('"');
    int length = s.length();
    if (isPlain(s, length)) {
      // the common case: printable ASCII with nothing to escape, copied as it is
      out.writeAscii(s, length);
      out.write('"');
      return;
    }
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

  /** True when every char of {@code s} is printable ASCII other than {@code "} and a backslash. */
  private static boolean isPlain(String s, int length) {
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
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
      writeAscii(s, s.length());
    }

    /** The first {@code count} chars of {@code s}, all ASCII, copied as bytes in bulk. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) is exact for ASCII
    void writeAscii(String s, int count) {
      int from = 0;
      while (from < count) {
        if (length == buffer.length) {
          makeRoom();
        }
        int n = Math.min(count - from, buffer.length - length);
        s.getBytes(from, from + n, buffer, length);
        length += n;
        from += n;
      }
    }

    byte[] digest() {
      digest.update(buffer, 0, length);
      length = 0;
      return digest.digest();
    }

    /** Forgets a digest left half-written by a failure (a no-op after {@link #digest()}). */
    void digestReset() {
      length = 0;
      digest.reset();
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
