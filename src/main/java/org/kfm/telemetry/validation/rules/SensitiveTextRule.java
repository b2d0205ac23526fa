package org.kfm.telemetry.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.kfm.telemetry.validation.Field;
import org.kfm.telemetry.validation.FieldRule;
import org.kfm.telemetry.validation.Findings;
import org.kfm.telemetry.validation.KeyTraits;
import org.kfm.telemetry.validation.Payload;
import org.kfm.telemetry.validation.RuleId;
import org.kfm.telemetry.validation.TextScanner;

/**
 * KFM-SECRET-001..005 and KFM-PRIV-002: no secret anywhere, and no personal data unless the event
 * declares {@code privacy.contains_pii: true} and is restricted or sensitive. Looks at the text of
 * every string (cloud keys, tokens, private keys, credentials in URLs, e-mail addresses, phone
 * numbers) and at key names (password/secret/token/api_key fields, email/phone fields) that hold a
 * value. Messages name what was found, never the value.
 */
public final class SensitiveTextRule implements FieldRule {

  private final boolean personalData;

  /** Checks secrets and personal data (the payload). */
  public SensitiveTextRule() {
    this(true);
  }

  /**
   * @param personalData false to look for secrets only (an envelope's attributes, or a record whose
   *     payload could not be found, where the payload's privacy declarations do not apply)
   */
  public SensitiveTextRule(boolean personalData) {
    this.personalData = personalData;
  }

  @Override
  public int traitsOfInterest() {
    return KeyTraits.PASSWORD | KeyTraits.PII;
  }

  @Override
  public boolean wantsAllText() {
    return true;
  }

  @Override
  public void visitKey(Payload payload, Field field, Findings findings) {
    for (TextScanner.Hit hit : TextScanner.scan(field.key())) {
      if (hit.type().isSecret()) {
        findings.addSecret(
            hit.type().rule(),
            field.pointer(),
            "key holds "
                + hit.type().description()
                + "; secrets must never be sent as telemetry (this record is stored redacted)");
        return;
      }
    }
    if (personalData && !piiPermitted(payload)) {
      findings.add(
          RuleId.PRIV_002,
          field.pointer(),
          "key holds personal data; hash or redact it, or declare"
              + " privacy.contains_pii with a restricted/sensitive classification");
    }
  }

  @Override
  public void visit(Payload payload, Field field, JsonNode value, Findings findings) {
    if (value instanceof TextNode text) {
      visitText(payload, field, text.textValue(), findings);
    } else if (value instanceof NumericNode && field.has(KeyTraits.PASSWORD)) {
      findings.addSecret(
          RuleId.SECRET_004,
          field.pointer(),
          "field \"" + field.key() + "\" holds a secret value; send a reference or nothing");
    } else if (value instanceof NumericNode
        && field.has(KeyTraits.PII)
        && personalData
        && !piiPermitted(payload)) {
      findings.add(
          RuleId.PRIV_002,
          field.pointer(),
          "field \""
              + field.key()
              + "\" holds personal data; hash or redact it, or declare privacy.contains_pii with a restricted/sensitive classification");
    }
  }

  private void visitText(Payload payload, Field field, String text, Findings findings) {
    List<TextScanner.Hit> hits = TextScanner.scan(text);
    boolean secret = false;
    boolean pii = false;
    // Indexed: almost every text has no hit, and an iterator over the empty list is an allocation
    // per string value of every record.
    for (int i = 0, n = hits.size(); i < n; i++) {
      TextScanner.Type type = hits.get(i).type();
      if (type.isSecret()) {
        secret = true;
        findings.addSecret(
            type.rule(),
            field.pointer(),
            "value holds "
                + type.description()
                + "; secrets must never be sent as telemetry (this record is stored redacted)");
      } else if (personalData && !pii && !piiPermitted(payload)) {
        pii = true;
        findings.add(
            RuleId.PRIV_002,
            field.pointer(),
            "value holds "
                + type.description()
                + "; hash or redact it, or declare privacy.contains_pii with a restricted/sensitive classification");
      }
    }
    if (!secret && field.has(KeyTraits.SECRET) && !TextScanner.isPlaceholder(text)) {
      findings.addSecret(
          RuleId.SECRET_004,
          field.pointer(),
          "field \"" + field.key() + "\" holds a secret value; send a reference or nothing");
    }
    if (personalData
        && !pii
        && !secret
        && field.has(KeyTraits.PII)
        && !TextScanner.isPlaceholder(text)
        && !piiPermitted(payload)) {
      findings.add(
          RuleId.PRIV_002,
          field.pointer(),
          "field \""
              + field.key()
              + "\" holds personal data; hash or redact it, or declare privacy.contains_pii with a restricted/sensitive classification");
    }
  }

  /** PII is allowed only when declared and the classification keeps it from general readers. */
  private static boolean piiPermitted(Payload payload) {
    return payload.containsPii() && payload.isRestricted();
  }
}
