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
  private static final Pattern SECRET_QUERY = Pattern.compile(
      "[?&;](?i:password|passwd|pwd|secret|client_secret|token|access_token|refresh_token|id_token"
          + "|auth|api_key|apikey|api-key|sig|x-amz-signature|x-amz-security-token)=[^&#\\s]+");
  private static final Pattern EMAIL_DOMAIN = Pattern.compile(
      "[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*"
          + "\\.[A-Za-z]{2,24}(?![A-Za-z0-9-])");
  private static final Pattern PHONE_E164 = Pattern.compile(
      "\\+[1-9][0-9]{0,3}(?:[ .-]?\\(?[0-9]{1,4}\\)?){1,5}(?![0-9A-Za-z])");
  private static final Pattern PHONE_NANP = Pattern.compile(
      "(?:\\([0-9]{3}\\)\\s?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}(?![0-9A-Za-z])");

  private TextScanner() {
  }

  /** Returns every secret or PII match in {@code text}, in order; an empty list when none. */
  public static List<Hit> scan(String text) {
    List<Hit> hits = null;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      Hit hit = null;
      switch (c) {
        case 'A':
          if (boundaryBefore(text, i)) {
            hit = firstOf(text, i, Type.AWS_ACCESS_KEY, AWS, Type.GOOGLE_API_KEY, GOOGLE,
                Type.AZURE_ACCOUNT_KEY, AZURE);
          }
          break;
        case 'e':
          if (text.startsWith("eyJ", i) && boundaryBefore(text, i)) {
            hit = match(text, i, Type.JWT, JWT);
          }
          break;
        case 'B':
        case 'b':
          if (boundaryBefore(text, i)) {
            hit = tokenLike(match(text, i, Type.AUTHORIZATION, AUTHORIZATION), text, false);
          }
          break;
        case 'g':
          if (boundaryBefore(text, i)) {
            hit = match(text, i, Type.VENDOR_TOKEN, GITHUB);
          }
          break;
        case 'x':
          if (text.startsWith("xox", i) && boundaryBefore(text, i)) {
            hit = match(text, i, Type.VENDOR_TOKEN, SLACK);
          }
          break;
        case 's':
        case 'r':
          if (boundaryBefore(text, i) && i + 2 < n && text.charAt(i + 1) == 'k') {
            hit = match(text, i, Type.VENDOR_TOKEN, STRIPE);
            if (hit == null) {
              hit = tokenLike(match(text, i, Type.VENDOR_TOKEN, OPENAI), text, true);
            }
          }
          break;
        case 'n':
          if (text.startsWith("npm_", i) && boundaryBefore(text, i)) {
            hit = match(text, i, Type.VENDOR_TOKEN, NPM);
          }
          break;
        case '-':
          if (text.startsWith("-----BEGIN ", i)) {
            hit = match(text, i, Type.PRIVATE_KEY, PRIVATE_KEY);
            if (hit != null) {
              hit = new Hit(Type.PRIVATE_KEY, hit.start(), endOfKeyBlock(text, hit.end()));
            }
          }
          break;
        case ':':
          if (text.startsWith("://", i)) {
            hit = match(text, i, Type.URL_CREDENTIALS, URL_USERINFO);
          }
          break;
        case '?':
        case '&':
        case ';':
          hit = match(text, i, Type.URL_CREDENTIALS, SECRET_QUERY);
          break;
        case '@':
          hit = email(text, i);
          break;
        case '+':
          if (boundaryBefore(text, i)) {
            hit = phone(text, i, PHONE_E164);
          }
          break;
        case '(':
          hit = phone(text, i, PHONE_NANP);
          break;
        default:
          if (c >= '0' && c <= '9' && boundaryBefore(text, i) && n - i >= 12) {
            hit = phone(text, i, PHONE_NANP);
          }
      }
      if (hit != null) {
        if (hits == null) {
          hits = new ArrayList<>(2);
        }
        hits.add(hit);
        i = Math.max(i, hit.end() - 1);
      }
    }
    return hits == null ? List.of() : hits;
  }

  private static Hit firstOf(String text, int at, Type t1, Pattern p1, Type t2, Pattern p2, Type t3, Pattern p3) {
    Hit hit = match(text, at, t1, p1);
    if (hit == null) {
      hit = match(text, at, t2, p2);
    }
    if (hit == null && p3 != null) {
      hit = match(text, at, t3, p3);
    }
    return hit;
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
    return !((p >= 'a' && p <= 'z') || (p >= 'A' && p <= 'Z') || (p >= '0' && p <= '9')
        || p == '_' || p == '+' || p == '/' || p == '=' || p == '-' || p == '.');
  }
}
