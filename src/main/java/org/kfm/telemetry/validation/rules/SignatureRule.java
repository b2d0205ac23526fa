package org.kfm.telemetry.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.PublicKey;
import org.kfm.telemetry.contract.PayloadSignatures;
import org.kfm.telemetry.validation.Findings;
import org.kfm.telemetry.validation.Payload;
import org.kfm.telemetry.validation.Rule;
import org.kfm.telemetry.validation.RuleId;

/**
 * KFM-SIG-001..004: a {@code wpe.alert} carries {@code signature = {algo: "ed25519", key_id, sig:
 * "base64:..."}}; when its key id is trusted, the ed25519 signature over the RFC 8785 canonical
 * JSON of the payload without {@code signature} must verify. Any other kind's signature, when
 * present, is held to the same rules.
 */
public final class SignatureRule implements Rule {

  private static final String ALGORITHM = PayloadSignatures.ALGORITHM;
  private static final String SIG_PREFIX = PayloadSignatures.SIG_PREFIX;

  @Override
  public void check(Payload payload, Findings findings) {
    JsonNode signature = payload.root().get("signature");
    if (signature == null) {
      if ("wpe.alert".equals(payload.kind())) {
        findings.add(
            RuleId.SIG_001,
            "/signature",
            "wpe.alert must be signed: signature {algo: \"ed25519\", key_id, sig: \"base64:...\"}");
      }
      return;
    }
    if (!signature.isObject()) {
      findings.add(RuleId.SIG_002, "/signature", "signature must be an object {algo, key_id, sig}");
      return;
    }
    String algo = Payload.textOf(signature.get("algo"));
    String keyId = Payload.textOf(signature.get("key_id"));
    String sig = Payload.textOf(signature.get("sig"));
    boolean malformed = false;
    if (!ALGORITHM.equals(algo)) {
      findings.add(RuleId.SIG_002, "/signature/algo", "signature.algo must be \"ed25519\"");
      malformed = true;
    }
    if (keyId == null || keyId.isBlank()) {
      findings.add(
          RuleId.SIG_002, "/signature/key_id", "signature.key_id must be a non-empty string");
      malformed = true;
    }
    if (sig == null || !sig.startsWith(SIG_PREFIX)) {
      findings.add(
          RuleId.SIG_002, "/signature/sig", "signature.sig must be \"base64:<signature>\"");
      malformed = true;
    }
    if (malformed) {
      return;
    }
    PublicKey key = payload.options().trustedKeys().find(keyId);
    if (key == null) {
      findings.add(
          RuleId.SIG_004,
          "/signature/key_id",
          "signature not verified: key_id \""
              + VersionRule.abbreviate(keyId)
              + "\" is not a trusted key");
      return;
    }
    byte[] signatureBytes = PayloadSignatures.decode(sig);
    if (signatureBytes == null) {
      findings.add(
          RuleId.SIG_002,
          "/signature/sig",
          "signature.sig must be \"base64:\" followed by the base64 of a"
              + " 64-byte ed25519 signature");
      return;
    }
    if (!PayloadSignatures.verifies(payload.root(), key, signatureBytes)) {
      findings.add(
          RuleId.SIG_003,
          "/signature/sig",
          "signature by trusted key does not verify over the RFC 8785 canonical payload without signature");
    }
  }
}
