package org.kfm.telemetry.validation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds secrets and personal data inside free text. One pass over the characters looks for the few
 * characters that can start a match; only there does it try the shapes of secrets ({@link
 * SecretShapes}) and of personal data ({@link PersonalDataShapes}). Stateless and thread-safe.
 */
public final class TextScanner {

  /** What a piece of text was recognised as. */
  public enum Type {
    AWS_ACCESS_KEY(RuleId.SECRET_001, "an AWS access key id"),
    GOOGLE_API_KEY(RuleId.SECRET_001, "a Google Cloud API key"),
    AZURE_ACCOUNT_KEY(RuleId.SECRET_001, "an Azure storage account key"),
    JWT(RuleId.SECRET_002, "a JSON Web Token"),
    AUTHORIZATION(RuleId.SECRET_002, "bearer/basic credentials"),
    VENDOR_TOKEN(RuleId.SECRET_002, "an access token (GitHub, GitLab, Slack, Stripe, OpenAI, npm)"),
    PRIVATE_KEY(RuleId.SECRET_003, "a private key block"),
    URL_CREDENTIALS(RuleId.SECRET_005, "credentials in a URL"),
    SECRET_FIELD(RuleId.SECRET_004, "the value of a password/secret/token field"),
    EMAIL(RuleId.PRIV_002, "an e-mail address"),
    PHONE(RuleId.PRIV_002, "a phone number"),
    SSN(RuleId.PRIV_002, "a US social security number");

    private final RuleId rule;
    private final String description;

    Type(RuleId rule, String description) {
      this.rule = rule;
      this.description = description;
    }

    public RuleId rule() {
      return rule;
    }

    public String description() {
      return description;
    }

    public boolean isSecret() {
      return rule != RuleId.PRIV_002;
    }
  }

  /** One match: its type and the range {@code [start, end)} of the text it covers. */
  public record Hit(Type type, int start, int end) {}

  /*
   * One table entry per ASCII character: the low bits say what match it can start (anywhere, at the
   * start of a word, at the start of a number); the high bits say which of those starts it blocks
   * in the character after it. A character may start a match when its start bits are not all blocked
   * by its predecessor: one lookup and one test per character on the hot path.
   */
  private static final int ANYWHERE = 1;
  private static final int TOKEN_START = 2;
  private static final int NUMBER_START = 4;
  private static final int STARTS = ANYWHERE | TOKEN_START | NUMBER_START;
  private static final int BLOCKS_SHIFT = 3;
  private static final byte[] CHARS = new byte[128];

  static {
    for (char c = 0; c < 128; c++) {
      // A credential cannot directly follow a letter or digit: it starts after anything else
      // ("KEY=AKIA...").
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      int blocks =
          (alnum ? TOKEN_START : 0) | (PersonalDataShapes.joinsNumber(c) ? NUMBER_START : 0);
      CHARS[c] = (byte) (blocks << BLOCKS_SHIFT);
    }
    for (char c : "AeBbgxsrnh".toCharArray()) {
      CHARS[c] |= TOKEN_START;
    }
    for (char c : "0123456789".toCharArray()) {
      CHARS[c] |= NUMBER_START;
    }
    for (char c : "-:?&;#=@+(".toCharArray()) {
      CHARS[c] |= ANYWHERE;
    }
  }

  private TextScanner() {}

  /** Returns every secret or PII match in {@code text}, in order; an empty list when none. */
  public static List<Hit> scan(String text) {
    return scan(text, true);
  }

  /**
   * With {@code deep}, also the credentials that are values (in a URL's user-info or query, or
   * assigned to a secret-like name), each only when it holds no match of another kind (which the
   * scan then reports under its own rule). That look inside a value is a scan without {@code deep}:
   * one level, so that the work stays linear in the text (looking inside recursively made values
   * nested in values, {@code pwd=pwd=pwd=...}, exponential, and deep enough to overflow the stack).
   */
  static List<Hit> scan(String text, boolean deep) {
    if (Placeholders.isHexDigest(text)) {
      return List
          .of(); // digests and ids, the bulk of telemetry text, can hold none of the patterns
    }
    List<Hit> hits = null;
    int n = text.length();
    int previous = 0; // the text's start blocks nothing, like a space
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      // Beyond ASCII nothing starts a match and nothing blocks one.
      int traits = c < 128 ? CHARS[c] : 0;
      if ((traits & ~(previous >>> BLOCKS_SHIFT) & STARTS) != 0) {
        Hit hit = candidateAt(text, i, n, deep);
        if (hit != null) {
          if (hits == null) {
            hits = new ArrayList<>(2);
          }
          hits.add(hit);
          i = Math.max(i, hit.end() - 1);
          c = text.charAt(i);
          traits = c < 128 ? CHARS[c] : 0;
        }
      }
      previous = traits;
    }
    return hits == null ? List.of() : hits;
  }

  /**
   * Looks for a match starting at {@code i}, asking the shape that the character there can start.
   * Each shape checks its literal prefix before it runs a pattern.
   */
  private static Hit candidateAt(String text, int i, int n, boolean deep) {
    switch (text.charAt(i)) {
      case 'A':
        return SecretShapes.cloudKey(text, i, n);
      case 'e':
        return SecretShapes.jwt(text, i);
      case 'B':
      case 'b':
        return SecretShapes.authorization(text, i);
      case 'g':
        return SecretShapes.gitToken(text, i, n);
      case 'x':
        return SecretShapes.slackToken(text, i);
      case 'h':
        return SecretShapes.slackWebhook(text, i);
      case 's':
      case 'r':
        return SecretShapes.stripeOrOpenAiKey(text, i, n);
      case 'n':
        return SecretShapes.npmToken(text, i);
      case '-':
        return SecretShapes.privateKey(text, i);
      case ':':
        return deep ? SecretShapes.urlCredentials(text, i) : null;
      case '?':
      case '&':
      case ';':
      case '#':
        return SecretShapes.queryCredentials(text, i, n, deep);
      case '=':
        return deep ? SecretShapes.assignment(text, i) : null;
      case '@':
        return PersonalDataShapes.email(text, i);
      case '+':
        return PersonalDataShapes.internationalPhone(text, i, n);
      case '(':
        return PersonalDataShapes.bracketedPhone(text, i, n);
      default:
        Hit phone = PersonalDataShapes.northAmericanPhone(text, i, n);
        return phone != null ? phone : PersonalDataShapes.socialSecurityNumber(text, i, n);
    }
  }

  /**
   * Like {@link #scan}, for text that is not valid JSON (and so cannot be walked): also finds the
   * values of members whose names say they are secrets, {@code "password": "..."} or unquoted.
   */
  public static List<Hit> scanUnparsed(String text) {
    List<Hit> patternHits = scan(text);
    if (text.indexOf('"') < 0) {
      return patternHits;
    }
    List<Hit> hits = new ArrayList<>(patternHits);
    SecretMembers.addTo(hits, text);
    hits.sort(Comparator.comparingInt(Hit::start));
    return hits;
  }

  /**
   * Empty, masked ({@code ****}), redacted ({@code [REDACTED]}, or this service's own {@code
   * [REDACTED:sha256:...]} marker), a sha256 digest, or a reference to where the secret lives
   * ({@code ${VAR}}, {@code vault:path/...}, {@code env:NAME}, a secrets manager ARN). The whole
   * value must be one of these: {@code ***hunter2} is not masked.
   */
  public static boolean isPlaceholder(String text) {
    return Placeholders.isPlaceholder(text);
  }
}
