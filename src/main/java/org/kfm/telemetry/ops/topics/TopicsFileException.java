package org.kfm.telemetry.ops.topics;

/** topics.yaml is unreadable or wrong; the message names the file, the topic and the key. */
public final class TopicsFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TopicsFileException(String message) {
    super(message);
  }

  public TopicsFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
