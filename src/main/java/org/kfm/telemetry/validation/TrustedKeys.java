package org.kfm.telemetry.validation;

import java.security.PublicKey;
import java.util.Map;
import java.util.Set;

/**
 * The ed25519 public keys whose signatures the validator checks, by key id. A signature by a key
 * that is not here passes with a warning; one by a key that is here must verify.
 */
public final class TrustedKeys {

  private static final TrustedKeys NONE = new TrustedKeys(Map.of());

  private final Map<String, PublicKey> byId;

  private TrustedKeys(Map<String, PublicKey> byId) {
    this.byId = Map.copyOf(byId);
  }

  public static TrustedKeys none() {
    return NONE;
  }

  public static TrustedKeys of(Map<String, PublicKey> byId) {
    return new TrustedKeys(byId);
  }

  /** The key with this id, or null when it is not trusted. */
  public PublicKey find(String keyId) {
    return byId.get(keyId);
  }

  public Set<String> ids() {
    return byId.keySet();
  }
}
