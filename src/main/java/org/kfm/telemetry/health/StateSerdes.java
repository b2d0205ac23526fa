package org.kfm.telemetry.health;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary serdes for the values of the health checks' stores and their run-change topic
 * ({@link RunState}, {@link RunChange}, {@link Pane}, {@link ScopeState}): every record the health
 * sub-topology reads or writes passes through them, several times per event, so they cost a few
 * hundred nanoseconds where Jackson's record binding cost microseconds, and the changelogs carry a
 * third of the bytes.
 *
 * <p>A value starts with {@link #FORMAT} (1), then a byte of flags (booleans, and which nullable
 * fields follow), then the present fields in declaration order: strings as a varint length and
 * UTF-8, integers as zig-zag varints. Values written by earlier versions as JSON (they start with
 * {@code '{'}) are still read, so changelogs and in-flight run changes survive an upgrade; a value
 * in neither format fails with a {@link SerializationException} naming the type.
 */
public final class StateSerdes {

  /** The first byte of every binary value (JSON values start with '{'). */
  static final byte FORMAT = 1;

  private StateSerdes() {}

  /** {@code health-run-store} values. */
  public static Serde<RunState> runStates() {
    return serde(RunState.class, StateSerdes::writeRunState, StateSerdes::readRunState);
  }

  /** The health-by-scope topic's values. */
  public static Serde<RunChange> runChanges() {
    return serde(RunChange.class, StateSerdes::writeRunChange, StateSerdes::readRunChange);
  }

  /** {@code health-scope-panes-store} values. */
  public static Serde<Pane> panes() {
    return serde(Pane.class, StateSerdes::writePane, StateSerdes::readPane);
  }

  /** {@code health-scope-store} values. */
  public static Serde<ScopeState> scopes() {
    return serde(ScopeState.class, StateSerdes::writeScope, StateSerdes::readScope);
  }

  // --- the formats -------------------------------------------------------------------------

  private static void writeRunState(RunState s, Out out) {
    out.flags(
        s.pipeline() != null, s.trace(), s.energy(), s.terminalAt() != null, s.clamped(), false);
    if (s.pipeline() != null) {
      out.string(s.pipeline());
    }
    if (s.terminalAt() != null) {
      out.varlong(s.terminalAt());
    }
    out.varlong(s.lastSeen());
  }

  private static RunState readRunState(In in) {
    int f = in.flags();
    String pipeline = bit(f, 0) ? in.string() : null;
    Long terminalAt = bit(f, 3) ? in.varlong() : null;
    return new RunState(pipeline, bit(f, 1), bit(f, 2), terminalAt, bit(f, 4), in.varlong());
  }

  private static void writeOutcome(RunOutcome o, Out out) {
    out.flags(o.pipeline() != null, o.trace(), o.energy(), o.clamped(), false, false);
    out.string(o.runId());
    if (o.pipeline() != null) {
      out.string(o.pipeline());
    }
    out.varlong(o.terminalAt());
  }

  private static RunOutcome readOutcome(In in) {
    int f = in.flags();
    String runId = in.string();
    String pipeline = bit(f, 0) ? in.string() : null;
    return new RunOutcome(runId, pipeline, in.varlong(), bit(f, 1), bit(f, 2), bit(f, 3));
  }

  private static void writeRunChange(RunChange c, Out out) {
    out.flags(c.removed() != null, false, false, false, false, false);
    if (c.removed() != null) {
      writeOutcome(c.removed(), out);
    }
    writeOutcome(c.added(), out);
    out.varlong(c.at());
  }

  private static RunChange readRunChange(In in) {
    int f = in.flags();
    RunOutcome removed = bit(f, 0) ? readOutcome(in) : null;
    RunOutcome added = readOutcome(in);
    return new RunChange(removed, added, in.varlong());
  }

  private static void writePane(Pane p, Out out) {
    out.flags(p.lastRunAt() != null, p.emitted() != null, false, false, false, false);
    out.varlong(p.checked());
    out.varlong(p.trace());
    out.varlong(p.energy());
    out.varlong(p.clamped());
    if (p.lastRunAt() != null) {
      out.varlong(p.lastRunAt());
    }
    if (p.emitted() != null) {
      out.varlong(p.emitted().revision());
      out.varlong(p.emitted().digest());
    }
  }

  private static Pane readPane(In in) {
    int f = in.flags();
    int checked = in.varint();
    int trace = in.varint();
    int energy = in.varint();
    int clamped = in.varint();
    Long lastRunAt = bit(f, 0) ? in.varlong() : null;
    Pane.Emitted emitted = bit(f, 1) ? new Pane.Emitted(in.varint(), in.varint()) : null;
    return new Pane(checked, trace, energy, clamped, lastRunAt, emitted);
  }

  private static void writeScope(ScopeState s, Out out) {
    Long[] fields = {
      s.firstRunAt(), s.lastRunAt(), s.lastEvaluatedEnd(), s.dirtyFrom(), s.dirtyTo()
    };
    out.flags(
        fields[0] != null,
        fields[1] != null,
        fields[2] != null,
        fields[3] != null,
        fields[4] != null,
        false);
    for (Long field : fields) {
      if (field != null) {
        out.varlong(field);
      }
    }
  }

  private static ScopeState readScope(In in) {
    int f = in.flags();
    Long[] fields = new Long[5];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = bit(f, i) ? in.varlong() : null;
    }
    return new ScopeState(fields[0], fields[1], fields[2], fields[3], fields[4]);
  }

  private static boolean bit(int flags, int i) {
    return (flags & (1 << i)) != 0;
  }

  // --- the serde ---------------------------------------------------------------------------

  private interface Writer<T> {
    void write(T value, Out out);
  }

  private interface Reader<T> {
    T read(In in);
  }

  private static <T> Serde<T> serde(Class<T> type, Writer<T> writer, Reader<T> reader) {
    JsonSerde<T> json = new JsonSerde<>(type);
    Deserializer<T> legacy = json.deserializer();
    Serializer<T> serializer =
        (topic, value) -> {
          if (value == null) {
            return null;
          }
          Out out = Out.get();
          out.start();
          writer.write(value, out);
          return out.bytes();
        };
    Deserializer<T> deserializer =
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          if (bytes.length > 0 && bytes[0] == '{') {
            return legacy.deserialize(topic, bytes);
          }
          if (bytes.length == 0 || bytes[0] != FORMAT) {
            throw new SerializationException(
                "cannot read a " + type.getSimpleName() + ": neither its binary format nor JSON");
          }
          try {
            In in = new In(bytes);
            T value = reader.read(in);
            in.end(type);
            return value;
          } catch (RuntimeException e) {
            if (e instanceof SerializationException) {
              throw e;
            }
            throw new SerializationException(
                "cannot read a " + type.getSimpleName() + ": " + e.getMessage(), e);
          }
        };
    return new Serde<>() {
      @Override
      public Serializer<T> serializer() {
        return serializer;
      }

      @Override
      public Deserializer<T> deserializer() {
        return deserializer;
      }
    };
  }

  /** A growable buffer, one per thread, reused for every value written. */
  private static final class Out {
    private static final ThreadLocal<Out> PER_THREAD = ThreadLocal.withInitial(Out::new);
    private byte[] buf = new byte[128];
    private int len;

    static Out get() {
      return PER_THREAD.get();
    }

    void start() {
      len = 0;
      buf[len++] = FORMAT;
    }

    byte[] bytes() {
      return Arrays.copyOf(buf, len);
    }

    private void room(int n) {
      if (len + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    void flags(boolean b0, boolean b1, boolean b2, boolean b3, boolean b4, boolean b5) {
      room(1);
      buf[len++] =
          (byte)
              ((b0 ? 1 : 0)
                  | (b1 ? 2 : 0)
                  | (b2 ? 4 : 0)
                  | (b3 ? 8 : 0)
                  | (b4 ? 16 : 0)
                  | (b5 ? 32 : 0));
    }

    void varlong(long v) {
      room(10);
      long z = (v << 1) ^ (v >> 63);
      while ((z & ~0x7FL) != 0) {
        buf[len++] = (byte) ((z & 0x7F) | 0x80);
        z >>>= 7;
      }
      buf[len++] = (byte) z;
    }

    void string(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      varlong(utf8.length);
      room(utf8.length);
      System.arraycopy(utf8, 0, buf, len, utf8.length);
      len += utf8.length;
    }
  }

  /** A reader of one value; past the end or malformed, it fails with a SerializationException. */
  private static final class In {
    private final ByteBuffer buf;

    In(byte[] bytes) {
      buf = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
    }

    int flags() {
      return Byte.toUnsignedInt(next());
    }

    private byte next() {
      if (!buf.hasRemaining()) {
        throw new SerializationException("truncated value");
      }
      return buf.get();
    }

    long varlong() {
      long z = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = next();
        z |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return (z >>> 1) ^ -(z & 1);
        }
      }
      throw new SerializationException("malformed varint");
    }

    int varint() {
      long v = varlong();
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw new SerializationException("integer out of range: " + v);
      }
      return (int) v;
    }

    String string() {
      long n = varlong();
      if (n < 0 || n > buf.remaining()) {
        throw new SerializationException("string length " + n + " past the end");
      }
      String s =
          new String(
              buf.array(), buf.arrayOffset() + buf.position(), (int) n, StandardCharsets.UTF_8);
      buf.position(buf.position() + (int) n);
      return s;
    }

    void end(Class<?> type) {
      if (buf.hasRemaining()) {
        throw new SerializationException(
            "cannot read a " + type.getSimpleName() + ": " + buf.remaining() + " bytes left over");
      }
    }
  }
}
