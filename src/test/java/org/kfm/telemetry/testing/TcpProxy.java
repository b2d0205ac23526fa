package org.kfm.telemetry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on the loopback interface that a test controls: it listens on a free port and pipes
 * the bytes of each connection both ways to a target, until {@link #cut()}, which resets every live
 * connection and resets every new one as soon as it is accepted (the client sees its connection
 * reset, as with a registry or network that has gone away), until {@link #restore()}. Put it
 * between a client and a server to take the server away and bring it back without touching either.
 * Plain blocking {@code java.net}, two daemon threads per connection.
 */
public final class TcpProxy implements AutoCloseable {

  /** A client's connection and the proxy's own to the target. */
  private record Connection(Socket client, Socket upstream, AtomicInteger open) {
    void reset() {
      TcpProxy.reset(client);
      TcpProxy.reset(upstream);
    }
  }

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final ExecutorService threads;
  private final Set<Connection> live = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger reset = new AtomicInteger();
  private volatile boolean cut;
  private volatile boolean closed;

  private TcpProxy(InetSocketAddress target, ServerSocket server) {
    this.target = target;
    this.server = server;
    AtomicInteger n = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t =
                  new Thread(r, "tcp-proxy-" + server.getLocalPort() + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    threads.execute(this::acceptLoop);
  }

  /** A proxy on 127.0.0.1:&lt;free port&gt; to {@code host:port}, passing bytes through. */
  public static TcpProxy to(String host, int port) {
    try {
      ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      return new TcpProxy(new InetSocketAddress(host, port), server);
    } catch (IOException e) {
      throw new UncheckedIOException("the proxy cannot listen", e);
    }
  }

  /** The port it listens on (on 127.0.0.1). */
  public int port() {
    return server.getLocalPort();
  }

  /** Resets every live connection, and every new one until {@link #restore()}. */
  public void cut() {
    cut = true;
    for (Connection c : live) {
      if (live.remove(c)) {
        reset.incrementAndGet();
        c.reset();
      }
    }
  }

  /** Passes new connections through again. */
  public void restore() {
    cut = false;
  }

  /** Whether it is {@link #cut()}. */
  public boolean isCut() {
    return cut;
  }

  /** Connections accepted so far (passed through or reset). */
  public int accepted() {
    return accepted.get();
  }

  /** Connections reset so far because the proxy was cut (live ones and new ones). */
  public int reset() {
    return reset.get();
  }

  /** Stops listening and resets every connection. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    live.forEach(Connection::reset);
    live.clear();
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      if (cut) {
        reset.incrementAndGet();
        reset(client);
        continue;
      }
      threads.execute(() -> connect(client));
    }
  }

  private void connect(Socket client) {
    Socket upstream = new Socket();
    try {
      upstream.connect(target, 5_000);
    } catch (IOException e) {
      reset(client);
      reset(upstream);
      return;
    }
    Connection connection = new Connection(client, upstream, new AtomicInteger(2));
    live.add(connection);
    if (cut && live.remove(connection)) { // cut while connecting
      reset.incrementAndGet();
      connection.reset();
      return;
    }
    threads.execute(() -> pipe(connection, client, upstream));
    pipe(connection, upstream, client);
  }

  /**
   * Copies {@code from} to {@code to} until {@code from} ends (passed on as a half-close) or fails
   * (both sockets reset); the second direction to end closes the connection.
   */
  private void pipe(Connection connection, Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      live.remove(connection);
      connection.reset();
      return;
    }
    if (connection.open().decrementAndGet() == 0 && live.remove(connection)) {
      close(connection.client());
      close(connection.upstream());
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  /** Closes {@code socket} with an RST rather than a FIN. */
  private static void reset(Socket socket) {
    try {
      if (!socket.isClosed()) {
        socket.setSoLinger(true, 0);
      }
    } catch (IOException ignored) {
      // closing anyway
    }
    close(socket);
  }
}
