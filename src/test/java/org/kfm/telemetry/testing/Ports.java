package org.kfm.telemetry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Local ports for tests. */
public final class Ports {

  private Ports() {}

  /**
   * A local port where nothing listens right now (bound, then released): for a server a test starts
   * on a port it must know beforehand, or for a peer that is down.
   */
  public static int unused() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
