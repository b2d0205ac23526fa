package org.kfm.telemetry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault-injection proxy passes bytes both ways, resets everything while cut, and recovers. */
class TcpProxyTest {

  private ServerSocket echo;
  private Thread echoing;

  @BeforeEach
  void startEchoServer() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    echoing =
        new Thread(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread t =
                      new Thread(
                          () -> {
                            try (s) {
                              s.getInputStream().transferTo(s.getOutputStream());
                            } catch (IOException ignored) {
                              // the client went away
                            }
                          });
                  t.setDaemon(true);
                  t.start();
                } catch (IOException closed) {
                  return;
                }
              }
            });
    echoing.setDaemon(true);
    echoing.start();
  }

  @AfterEach
  void stopEchoServer() throws IOException {
    echo.close();
  }

  @Test
  void shouldPipeBytesBothWaysResetWhileCutAndPassAgainWhenRestored() throws IOException {
    try (TcpProxy proxy = TcpProxy.to("127.0.0.1", echo.getLocalPort())) {
      // Given a connection through the proxy that works
      Socket before = connect(proxy);
      assertThat(roundTrip(before, "hello")).as("echo through the proxy").isEqualTo("hello");

      // When the proxy is cut
      proxy.cut();

      // Then the live connection is gone, and a new one is reset at once
      assertThat(deadAfterWrite(before)).as("live connection after cut").isTrue();
      try (Socket during = connect(proxy)) {
        assertThat(deadAfterWrite(during)).as("new connection during cut").isTrue();
      }
      assertThat(proxy.reset()).as("connections reset").isGreaterThanOrEqualTo(2);

      // When it is restored, Then new connections pass again
      proxy.restore();
      try (Socket after = connect(proxy)) {
        assertThat(roundTrip(after, "again")).as("echo after restore").isEqualTo("again");
      }
      before.close();
    }
  }

  private static Socket connect(TcpProxy proxy) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    socket.setSoTimeout(5_000);
    return socket;
  }

  private static String roundTrip(Socket socket, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    socket.getOutputStream().write(bytes);
    byte[] back = socket.getInputStream().readNBytes(bytes.length);
    return new String(back, StandardCharsets.UTF_8);
  }

  /** True when writing then reading ends in a reset or end of stream (not a timeout). */
  private static boolean deadAfterWrite(Socket socket) {
    try {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write('x');
      out.flush();
      return in.read() < 0;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
