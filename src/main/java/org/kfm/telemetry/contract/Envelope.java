package org.kfm.telemetry.contract;

/**
 * Identity and routing facts that came with a payload, when it arrived in a CloudEvents envelope
 * (structured JSON or binary-mode {@code ce_*} headers). All fields but {@code mode} and {@code
 * payloadPointer} are null for a bare payload.
 *
 * @param mode how the payload was carried
 * @param specVersion CloudEvents {@code specversion}
 * @param id CloudEvents {@code id}, the event's identity (used for de-duplication)
 * @param source CloudEvents {@code source}
 * @param type CloudEvents {@code type}
 * @param time CloudEvents {@code time}, as sent
 * @param subject CloudEvents {@code subject}
 * @param payloadPointer JSON Pointer of the payload inside the record ("" or "/data")
 */
public record Envelope(
    Mode mode,
    String specVersion,
    String id,
    String source,
    String type,
    String time,
    String subject,
    String payloadPointer) {

  /** How a payload travelled. */
  public enum Mode {
    BARE,
    CLOUDEVENTS_STRUCTURED,
    CLOUDEVENTS_BINARY
  }

  public static final Envelope BARE =
      new Envelope(Mode.BARE, null, null, null, null, null, null, "");
}
