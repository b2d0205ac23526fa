package org.kfm.telemetry.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secrets and personal data inside free text. One pass over the characters looks for the
 * few characters that can start a match; a precompiled pattern is tried only there. Stateless and
 * thread-safe.
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
    EMAIL(RuleId.PRIV_002, "an e-mail address"),
    PHONE(RuleId.PRIV_002, "a phone number");

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
  public record Hit(Type type, int start, int end) {
  }

  private static final Pattern AWS = Pattern.compile("(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])");
  private static final Pattern GOOGLE = Pattern.compile("AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])");
  private static final Pattern AZURE = Pattern.compile("AccountKey=[A-Za-z0-9+/]{20,}={0,2}");
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "(?i:bearer|basic)\\s+[A-Za-z0-9._~+/-]{12,}=*(?![A-Za-z0-9._~+/=-])");
  private static final Pattern GITHUB = Pattern.compile(
      "(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|glpat-[A-Za-z0-9_-]{20,})");
  private static final Pattern SLACK = Pattern.compile("xox[abposr]-[A-Za-z0-9-]{10,}");
  private static final Pattern STRIPE = Pattern.compile("[sr]k_(?:live|test)_[A-Za-z0-9]{16,}");
  private static final Pattern OPENAI = Pattern.compile("sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}");
  private static final Pattern NPM = Pattern.compile("npm_[A-Za-z0-9]{36}");
  private static final Pattern PRIVATE_KEY = Pattern.compile(
      "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----");
  private static final Pattern URL_USERINFO = Pattern.compile("://[^/?#\\s:@]+:[^/?#\\s@]+@");
  private static final java.util.Set<String> SECRET_QUERY_NAMES = java.util.Set.of("password", "passwd", "pwd",
      "secret", "client_secret", "token", "access_token", "refresh_token", "id_token", "auth", "api_key", "apikey",
      "api-key", "sig", "x-amz-signature", "x-amz-security-token");
  private static final Pattern SECRET_QUERY = Pattern.compile("[?&;][A-Za-z_-]+=[^&#\\s]+");
  private static final Pattern EMAIL_DOMAIN = Pattern.compile(
      "[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*"
          + "\\.[A-Za-z]{2,24}(?![A-Za-z0-9-])");
  private static final Pattern PHONE_E164 = Pattern.compile(
      "\\+[1-9][0-9]{0,3}(?:[ .-]?\\(?[0-9]{1,4}\\)?){1,5}(?![0-9A-Za-z])");
  private static final Pattern PHONE_NANP = Pattern.compile(
      "(?:\\([0-9]{3}\\)\\s?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}(?![0-9A-Za-z])");

  private static final byte ANYWHERE = 1;
  private static final byte WORD_START = 2;
  private static final byte[] TRIGGERS = new byte[128];
  /** Characters after which no token can start: letters, digits and the joiners of identifiers. */
  private static final boolean[] WORD_CHARS = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      WORD_CHARS[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "_+/=-.".indexOf(c) >= 0;
    }
    for (char c : "AeBbgxsrn0123456789".toCharArray()) {
      TRIGGERS[c] = WORD_START;
    }
    for (char c : "-:?&;@+(".toCharArray()) {
      TRIGGERS[c] = ANYWHERE;
    }
  }

  private TextScanner() {
  }

  /** Returns every secret or PII match in {@code text}, in order; an empty list when none. */
  public static List<Hit> scan(String text) {
    List<Hit> hits = null;
    int n = text.length();
    boolean afterWordChar = false;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      byte trigger = c < 128 ? TRIGGERS[c] : 0;
      // Most characters can start nothing; most letters start a match only at the start of a word.
      if (trigger == ANYWHERE || (trigger == WORD_START && !afterWordChar)) {
        Hit hit = candidateAt(text, i, n);
        if (hit != null) {
          if (hits == null) {
            hits = new ArrayList<>(2);
          }
          hits.add(hit);
          i = Math.max(i, hit.end() - 1);
          c = text.charAt(i);
        }
      }
      afterWordChar = c < 128 && WORD_CHARS[c];
    }
    return hits == null ? List.of() : hits;
  }

  /**
   * Looks for a match starting at {@code i}. Cheap literal checks come first so that a pattern
   * runs only where its fixed prefix is already present.
   */
  private static Hit candidateAt(String text, int i, int n) {
    char c = text.charAt(i);
    switch (c) {
      case 'A':
        if (n - i >= 20 && boundaryBefore(text, i)) {
          if (text.startsWith("AKIA", i) || text.startsWith("ASIA", i) || text.startsWith("ABIA", i)
              || text.startsWith("ACCA", i)) {
            return match(text, i, Type.AWS_ACCESS_KEY, AWS);
          }
          if (text.startsWith("AIza", i)) {
            return match(text, i, Type.GOOGLE_API_KEY, GOOGLE);
          }
          if (text.startsWith("AccountKey=", i)) {
            return match(text, i, Type.AZURE_ACCOUNT_KEY, AZURE);
          }
        }
        return null;
      case 'e':
        return text.startsWith("eyJ", i) && boundaryBefore(text, i) ? match(text, i, Type.JWT, JWT) : null;
      case 'B':
      case 'b':
        if ((text.regionMatches(true, i, "bearer", 0, 6) || text.regionMatches(true, i, "basic", 0, 5))
            && boundaryBefore(text, i)) {
          return tokenLike(match(text, i, Type.AUTHORIZATION, AUTHORIZATION), text, false);
        }
        return null;
      case 'g':
        if ((text.startsWith("gh", i) && i + 3 < n && text.charAt(i + 3) == '_' && "pousr".indexOf(text.charAt(i + 2)) >= 0
            || text.startsWith("github_pat_", i) || text.startsWith("glpat-", i)) && boundaryBefore(text, i)) {
          return match(text, i, Type.VENDOR_TOKEN, GITHUB);
        }
        return null;
      case 'x':
        return text.startsWith("xox", i) && boundaryBefore(text, i) ? match(text, i, Type.VENDOR_TOKEN, SLACK) : null;
      case 's':
      case 'r':
        if (i + 3 < n && text.charAt(i + 1) == 'k' && boundaryBefore(text, i)) {
          char sep = text.charAt(i + 2);
          if (sep == '_') {
            return match(text, i, Type.VENDOR_TOKEN, STRIPE);
          }
          if (sep == '-' && c == 's') {
            return tokenLike(match(text, i, Type.VENDOR_TOKEN, OPENAI), text, true);
          }
        }
        return null;
      case 'n':
        return text.startsWith("npm_", i) && boundaryBefore(text, i) ? match(text, i, Type.VENDOR_TOKEN, NPM) : null;
      case '-':
        if (text.startsWith("-----BEGIN ", i)) {
          Hit hit = match(text, i, Type.PRIVATE_KEY, PRIVATE_KEY);
          return hit == null ? null : new Hit(Type.PRIVATE_KEY, hit.start(), endOfKeyBlock(text, hit.end()));
        }
        return null;
      case ':':
        return text.startsWith("://", i) && text.indexOf('@', i) > 0 ? match(text, i, Type.URL_CREDENTIALS, URL_USERINFO)
            : null;
      case '?':
      case '&':
      case ';':
        return isSecretQueryName(text, i + 1, n) ? match(text, i, Type.URL_CREDENTIALS, SECRET_QUERY) : null;
      case '@':
        return email(text, i);
      case '+':
        return i + 1 < n && isDigit(text.charAt(i + 1)) && boundaryBefore(text, i) ? phone(text, i, PHONE_E164) : null;
      case '(':
        return i + 4 < n && text.charAt(i + 4) == ')' ? phone(text, i, PHONE_NANP) : null;
      default:
        if (isDigit(c) && n - i >= 12 && isPhoneSeparator(text.charAt(i + 3)) && isDigit(text.charAt(i + 1))
            && isDigit(text.charAt(i + 2)) && boundaryBefore(text, i)) {
          return phone(text, i, PHONE_NANP);
        }
        return null;
    }
  }

  private static boolean isSecretQueryName(String text, int from, int n) {
    int eq = -1;
    for (int i = from; i < n && i - from <= 24; i++) {
      if (text.charAt(i) == '=') {
        eq = i;
        break;
      }
    }
    return eq > from && SECRET_QUERY_NAMES.contains(text.substring(from, eq).toLowerCase(java.util.Locale.ROOT));
  }

  private static boolean isPhoneSeparator(char c) {
    return c == ' ' || c == '.' || c == '-';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static Hit match(String text, int at, Type type, Pattern pattern) {
    Matcher m = pattern.matcher(text).region(at, text.length());
    return m.lookingAt() ? new Hit(type, at, m.end()) : null;
  }

  /**
   * Keeps a hit only when its text looks generated rather than written: digits and letters, and
   * with {@code mixedCase} both cases ("Basic authentication" and "sk-learn-pipeline" are prose).
   */
  private static Hit tokenLike(Hit hit, String text, boolean mixedCase) {
    if (hit == null) {
      return null;
    }
    boolean digit = false;
    boolean upper = false;
    boolean lower = false;
    int from = hit.start();
    int space = text.indexOf(' ', from);
    if (space >= 0 && space < hit.end()) {
      from = space;
    }
    for (int i = from; i < hit.end(); i++) {
      char c = text.charAt(i);
      digit |= c >= '0' && c <= '9';
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
    }
    boolean ok = digit && (upper || lower) && (!mixedCase || (upper && lower));
    return ok ? hit : null;
  }

  private static int endOfKeyBlock(String text, int from) {
    int end = text.indexOf("-----END ", from);
    if (end < 0) {
      return text.length();
    }
    int close = text.indexOf("-----", end + 9);
    return close < 0 ? text.length() : close + 5;
  }

  private static Hit email(String text, int at) {
    int start = at;
    while (start > 0 && isLocalPartChar(text.charAt(start - 1))) {
      start--;
    }
    if (start == at) {
      return null;
    }
    Matcher m = EMAIL_DOMAIN.matcher(text).region(at + 1, text.length());
    if (!m.lookingAt()) {
      return null;
    }
    String local = text.substring(start, at);
    // "git@github.com:org/repo" is an SSH remote, not somebody's address.
    if ((local.equals("git") || local.equals("hg")) && m.end() < text.length() && text.charAt(m.end()) == ':') {
      return null;
    }
    return new Hit(Type.EMAIL, start, m.end());
  }

  private static Hit phone(String text, int at, Pattern pattern) {
    Matcher m = pattern.matcher(text).region(at, text.length());
    if (!m.lookingAt()) {
      return null;
    }
    int digits = 0;
    for (int i = at; i < m.end(); i++) {
      if (Character.isDigit(text.charAt(i))) {
        digits++;
      }
    }
    return digits >= 10 && digits <= 15 ? new Hit(Type.PHONE, at, m.end()) : null;
  }

  private static boolean isLocalPartChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  private static boolean boundaryBefore(String text, int at) {
    if (at == 0) {
      return true;
    }
    char p = text.charAt(at - 1);
    return p >= 128 || !WORD_CHARS[p];
  }
}
