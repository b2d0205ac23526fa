package org.kfm.telemetry.validation;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kfm.telemetry.contract.Canonical;
import org.kfm.telemetry.contract.Ed25519Keys;

/**
 * Two ed25519 key pairs for tests: {@link #PAIR} is trusted by the catalogue's validator,
 * {@link #UNTRUSTED} is not. Catalogue cases ask for a signature with {@code "sign": "trusted"} or
 * {@code "sign": "untrusted"}.
 */
public final class TestKeys {

  static final KeyPair PAIR = generate();
  static final KeyPair UNTRUSTED = generate();

  private TestKeys() {
  }

  static String keyId() {
    return Ed25519Keys.keyId(PAIR.getPublic());
  }

  public static ValidatorOptions options(Clock clock) {
    return ValidatorOptions.defaults().withClock(clock)
        .withTrustedKeys(TrustedKeys.of(Map.of(keyId(), PAIR.getPublic())));
  }

  /** Signs {@code payload} in place the way alerts are signed. */
  static void sign(ObjectNode payload, PrivateKey key, String keyId) {
    ObjectNode unsigned = payload.deepCopy();
    unsigned.remove("signature");
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key);
      signer.update(Canonical.bytes(unsigned));
      ObjectNode signature = payload.putObject("signature");
      signature.put("algo", "ed25519").put("key_id", keyId)
          .put("sig", "base64:" + Base64.getEncoder().encodeToString(signer.sign()));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
