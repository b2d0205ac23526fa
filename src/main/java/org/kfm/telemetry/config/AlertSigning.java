package org.kfm.telemetry.config;

import java.security.PrivateKey;
import java.util.Objects;

/**
 * The ed25519 key alerts are signed with, passed in by the caller (the topology never reads files).
 *
 * @param privateKey the ed25519 private key ({@code health.alerts.signing-key})
 * @param keyId its key id, as {@code Ed25519Keys.keyId} derives it from the public key (derived,
 *     not a setting)
 */
public record AlertSigning(PrivateKey privateKey, String keyId) {

  public AlertSigning {
    Objects.requireNonNull(privateKey, HealthConfig.SIGNING_KEY);
    Objects.requireNonNull(keyId, "keyId");
  }
}
