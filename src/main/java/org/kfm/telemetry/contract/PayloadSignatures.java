package org.kfm.telemetry.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Signed payloads (such as {@code wpe.alert}): an ed25519 signature over the RFC 8785 canonical
 * JSON of the payload without its {@code signature} member, carried as {@code "signature": {"algo":
 * "ed25519", "key_id": "<key id>", "sig": "base64:<64 bytes>"}}.
 */
public final class PayloadSignatures {

  public static final String ALGORITHM = "ed25519";
  public static final String SIG_PREFIX = "base64:";

  private PayloadSignatures() {}

  /** The outcome of {@link #verify}. */
  public enum Status {
    VALID,
    UNSIGNED,
    MALFORMED,
    OTHER_KEY,
    INVALID
  }

  /** A verification outcome and, unless valid, why. */
  public record Result(Status status, String reason) {
    public boolean isValid() {
      return status == Status.VALID;
    }
  }

  /** Signs {@code payload} in place, replacing any {@code signature} it had. */
  public static void sign(ObjectNode payload, PrivateKey key, String keyId) {
    payload.remove("signature");
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key);
      signer.update(Canonical.bytes(payload));
      payload
          .putObject("signature")
          .put("algo", ALGORITHM)
          .put("key_id", keyId)
          .put("sig", SIG_PREFIX + Base64.getEncoder().encodeToString(signer.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code payload} carries a valid signature by {@code key} (and names its key id).
   */
  public static Result verify(ObjectNode payload, PublicKey key) {
    JsonNode signature = payload.get("signature");
    if (signature == null) {
      return new Result(Status.UNSIGNED, "no signature");
    }
    String algo = signature.path("algo").textValue();
    String keyId = signature.path("key_id").textValue();
    String sig = signature.path("sig").textValue();
    if (!ALGORITHM.equals(algo) || keyId == null || sig == null || !sig.startsWith(SIG_PREFIX)) {
      return new Result(
          Status.MALFORMED,
          "signature must be {\"algo\":\"ed25519\",\"key_id\":...,\"sig\":\"base64:...\"}");
    }
    String expectedId = Ed25519Keys.keyId(key);
    if (!expectedId.equals(keyId)) {
      return new Result(Status.OTHER_KEY, "signed by key " + keyId + ", not by " + expectedId);
    }
    byte[] bytes = decode(sig);
    if (bytes == null) {
      return new Result(
          Status.MALFORMED, "signature.sig is not \"base64:\" and the base64 of 64 bytes");
    }
    return verifies(payload, key, bytes)
        ? new Result(Status.VALID, null)
        : new Result(
            Status.INVALID,
            "signature does not verify over the RFC 8785 canonical payload without signature");
  }

  /** The 64 signature bytes of a {@code "base64:..."} value, or null when it is not one. */
  public static byte[] decode(String sig) {
    if (sig == null || !sig.startsWith(SIG_PREFIX)) {
      return null;
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(sig.substring(SIG_PREFIX.length()));
      return bytes.length == 64 ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * True when {@code signature} is {@code key}'s ed25519 signature of the payload without its
   * signature.
   */
  public static boolean verifies(ObjectNode payload, PublicKey key, byte[] signature) {
    ObjectNode unsigned = payload.deepCopy();
    unsigned.remove("signature");
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(Canonical.bytes(unsigned));
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
