package org.kfm.telemetry.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Map;
import org.kfm.telemetry.contract.Ed25519Keys;
import org.kfm.telemetry.contract.PayloadSignatures;

/**
 * Two ed25519 key pairs for tests: {@link #PAIR} is trusted by the catalogue's validator, {@link
 * #UNTRUSTED} is not. Catalogue cases ask for a signature with {@code "sign": "trusted"} or {@code
 * "sign": "untrusted"}.
 */
public final class TestKeys {

  static final KeyPair PAIR = generate();
  static final KeyPair UNTRUSTED = generate();

  private TestKeys() {}

  static String keyId() {
    return Ed25519Keys.keyId(PAIR.getPublic());
  }

  public static ValidatorOptions options(Clock clock) {
    return ValidatorOptions.defaults()
        .withClock(clock)
        .withTrustedKeys(TrustedKeys.of(Map.of(keyId(), PAIR.getPublic())));
  }

  /** Signs {@code payload} in place the way alerts are signed. */
  static void sign(ObjectNode payload, PrivateKey key, String keyId) {
    PayloadSignatures.sign(payload, key, keyId);
  }

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
