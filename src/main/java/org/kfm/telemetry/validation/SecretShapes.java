package org.kfm.telemetry.validation;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kfm.telemetry.validation.TextScanner.Hit;
import org.kfm.telemetry.validation.TextScanner.Type;

/**
 * The shapes of secrets in free text: cloud keys, tokens, private key blocks, and credentials in
 * URLs and assignments. Each method returns the match at a given index of the text, or null when
 * there is none; cheap literal checks come first, so that a pattern runs only where its fixed
 * prefix is present.
 */
final class SecretShapes {

  private static final Pattern AWS =
      Pattern.compile("(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])");
  private static final Pattern GOOGLE = Pattern.compile("AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])");
  private static final Pattern AZURE =
      Pattern.compile("(?i:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{20,}={0,2}");
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
  private static final Pattern AUTHORIZATION =
      Pattern.compile("(?i:bearer|basic)\\s+[A-Za-z0-9._~+/-]{12,}=*(?![A-Za-z0-9._~+/=-])");
  private static final Pattern GITHUB =
      Pattern.compile(
          "(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|glpat-[A-Za-z0-9_-]{20,})");
  private static final Pattern SLACK =
      Pattern.compile("(?:xox[abposr]-|xapp-[0-9]-)[A-Za-z0-9-]{10,}");
  private static final Pattern SLACK_WEBHOOK =
      Pattern.compile("hooks\\.slack\\.com/services/[A-Za-z0-9/_-]{20,}");
  private static final Pattern STRIPE = Pattern.compile("[sr]k_(?:live|test)_[A-Za-z0-9]{16,}");
  private static final Pattern OPENAI =
      Pattern.compile("sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}");
  private static final Pattern NPM = Pattern.compile("npm_[A-Za-z0-9]{36}");

  /** User-info with a password ({@code scheme://user:password@}); group 1 is the password. */
  private static final Pattern URL_USERINFO = Pattern.compile("://[^/?#\\s:@]*:([^/?#\\s@]+)@");

  /** Query and fragment parameter names that carry credentials besides secret-like names. */
  private static final Set<String> SECRET_PARAMETERS =
      Set.of("sig", "auth", "pwd", "x-amz-security-token", "x-amz-credential", "x-goog-credential");

  /** A query or fragment parameter; group 1 is its value. */
  private static final Pattern SECRET_QUERY =
      Pattern.compile("[?&;#][A-Za-z0-9_.-]+=([^&#\\s\"']+)");

  /** What ends a query parameter's value besides white space. */
  private static final String SECRET_QUERY_END = "&#\"'";

  /** {@code NAME=value} / {@code NAME: value} in free text; group 1 is the value. */
  private static final Pattern ASSIGNMENT = Pattern.compile("=\\s?([^\\s&;,\"'<>]{4,})");

  /** What ends an assigned value besides white space. */
  private static final String ASSIGNMENT_END = "&;,\"'<>";

  /**
   * How far a credential's pattern reads from where it starts. A value can hold further candidates
   * ({@code pwd=pwd=pwd=...}, {@code ?sig=a?sig=a...}); bounded, each costs at most this much
   * however long the run, so that scanning stays linear in the text. A value that reaches the bound
   * is taken to its end all the same (by its terminators, without a pattern).
   */
  static final int MAX_CREDENTIAL_CHARS = 512;

  private SecretShapes() {}

  /**
   * An AWS access key id, a Google Cloud API key or an Azure storage account key at the 'A' at
   * {@code i}.
   */
  static Hit cloudKey(String text, int i, int n) {
    if (n - i >= 20) {
      if (isAzureKeyName(text, i)) {
        return match(text, i, Type.AZURE_ACCOUNT_KEY, AZURE);
      }
      if (text.startsWith("AKIA", i)
          || text.startsWith("ASIA", i)
          || text.startsWith("ABIA", i)
          || text.startsWith("ACCA", i)) {
        return match(text, i, Type.AWS_ACCESS_KEY, AWS);
      }
      if (text.startsWith("AIza", i)) {
        return match(text, i, Type.GOOGLE_API_KEY, GOOGLE);
      }
    }
    return null;
  }

  /**
   * A JSON Web Token at {@code i}, unless an earlier one was tried in the same run of the token's
   * characters ({@link #triedEarlierInRun}).
   */
  static Hit jwt(String text, int i) {
    return text.startsWith("eyJ", i) && !triedEarlierInRun(text, i, "eyJ")
        ? match(text, i, Type.JWT, JWT)
        : null;
  }

  /** Bearer or basic credentials at {@code i}, when they look generated rather than written. */
  static Hit authorization(String text, int i) {
    if (text.regionMatches(true, i, "bearer", 0, 6) || text.regionMatches(true, i, "basic", 0, 5)) {
      return tokenLike(match(text, i, Type.AUTHORIZATION, AUTHORIZATION), text, false);
    }
    return null;
  }

  /** A GitHub or GitLab token at the 'g' at {@code i}. */
  static Hit gitToken(String text, int i, int n) {
    if (text.startsWith("gh", i)
            && i + 3 < n
            && text.charAt(i + 3) == '_'
            && "pousr".indexOf(text.charAt(i + 2)) >= 0
        || text.startsWith("github_pat_", i)
        || text.startsWith("glpat-", i)) {
      return match(text, i, Type.VENDOR_TOKEN, GITHUB);
    }
    return null;
  }

  /** A Slack token at the 'x' at {@code i}. */
  static Hit slackToken(String text, int i) {
    return text.startsWith("xox", i) || text.startsWith("xapp-", i)
        ? match(text, i, Type.VENDOR_TOKEN, SLACK)
        : null;
  }

  /** A Slack webhook URL's path at the 'h' at {@code i}. */
  static Hit slackWebhook(String text, int i) {
    return text.startsWith("hooks.slack.com/", i)
        ? match(text, i, Type.VENDOR_TOKEN, SLACK_WEBHOOK)
        : null;
  }

  /**
   * A Stripe key ({@code sk_live_}, {@code rk_test_}) or an OpenAI key ({@code sk-}) at {@code i}.
   */
  static Hit stripeOrOpenAiKey(String text, int i, int n) {
    if (i + 3 < n && text.charAt(i + 1) == 'k') {
      char sep = text.charAt(i + 2);
      if (sep == '_') {
        return match(text, i, Type.VENDOR_TOKEN, STRIPE);
      }
      if (sep == '-' && text.charAt(i) == 's' && !triedEarlierInRun(text, i, "sk-")) {
        return tokenLike(match(text, i, Type.VENDOR_TOKEN, OPENAI), text, true);
      }
    }
    return null;
  }

  /** An npm token at the 'n' at {@code i}. */
  static Hit npmToken(String text, int i) {
    return text.startsWith("npm_", i) ? match(text, i, Type.VENDOR_TOKEN, NPM) : null;
  }

  /**
   * A PEM private key block at {@code at}: {@code -----BEGIN <WORDS> PRIVATE KEY-----} up to its
   * END line.
   */
  static Hit privateKey(String text, int at) {
    if (!text.startsWith("-----BEGIN ", at)) {
      return null;
    }
    int labelStart = at + "-----BEGIN ".length();
    int close = text.indexOf("-----", labelStart);
    if (close < 0 || close - labelStart > 64) {
      return null;
    }
    String label = text.substring(labelStart, close);
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ')) {
        return null;
      }
    }
    if (!label.endsWith("PRIVATE KEY") && !label.endsWith("PRIVATE KEY BLOCK")) {
      return null;
    }
    return new Hit(Type.PRIVATE_KEY, at, endOfKeyBlock(text, close + 5));
  }

  /** A password in a URL's user-info, {@code ://user:password@}, at the ':' at {@code i}. */
  static Hit urlCredentials(String text, int i) {
    return text.startsWith("://", i) && userInfoFollows(text, i + 3)
        ? unlessPlaceholder(text, i, Type.URL_CREDENTIALS, URL_USERINFO, null)
        : null;
  }

  /**
   * True when an {@code @} comes after {@code from} before the authority can have ended (a {@code
   * /}, {@code ?}, {@code #} or white space); reads no further than that, so that many {@code ://}
   * without user-info cost one pass.
   */
  private static boolean userInfoFollows(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '@') {
        return true;
      }
      if (c == '/' || c == '?' || c == '#' || isPatternSpace(c)) {
        return false;
      }
    }
    return false;
  }

  /**
   * A credential in the query or fragment parameter that starts after the {@code ?}, {@code &},
   * {@code ;} or {@code #} at {@code i}: an Azure account key, or, with {@code deep} ({@link
   * TextScanner#scan(String, boolean)}), a parameter whose name says secret.
   */
  static Hit queryCredentials(String text, int i, int n, boolean deep) {
    if (isAzureKeyName(text, i + 1)) {
      return match(text, i + 1, Type.AZURE_ACCOUNT_KEY, AZURE);
    }
    return deep && isSecretParameter(text, i + 1, n)
        ? unlessPlaceholder(text, i, Type.URL_CREDENTIALS, SECRET_QUERY, SECRET_QUERY_END)
        : null;
  }

  /**
   * The value assigned to a secret-like name by the {@code =} at {@code i}: {@code
   * AWS_SECRET_ACCESS_KEY=...}.
   */
  static Hit assignment(String text, int i) {
    return isAfterSecretName(text, i)
        ? unlessPlaceholder(text, i, Type.SECRET_FIELD, ASSIGNMENT, ASSIGNMENT_END)
        : null;
  }

  private static boolean isSecretParameter(String text, int from, int n) {
    int eq = -1;
    for (int i = from; i < n && i - from <= 40; i++) {
      char c = text.charAt(i);
      if (c == '=') {
        eq = i;
        break;
      }
      if (!(isAsciiLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
        return false;
      }
    }
    if (eq <= from) {
      return false;
    }
    String name = text.substring(from, eq).toLowerCase(Locale.ROOT);
    return SECRET_PARAMETERS.contains(name)
        || name.endsWith("signature")
        || KeyTraits.has(KeyTraits.of(name), KeyTraits.SECRET);
  }

  /** True when the {@code =} at {@code at} follows a secret-like name. */
  private static boolean isAfterSecretName(String text, int at) {
    int start = at;
    while (start > 0 && at - start < 64) {
      char c = text.charAt(start - 1);
      if (!(isAsciiLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
        break;
      }
      start--;
    }
    return start < at
        && (start == 0 || !"?&;#".contains(String.valueOf(text.charAt(start - 1))))
        && KeyTraits.has(KeyTraits.of(text.substring(start, at)), KeyTraits.SECRET);
  }

  /**
   * A credential in a URL or an assignment, unless it is a placeholder. The pattern reads at most
   * {@link #MAX_CREDENTIAL_CHARS} from {@code at}; a value that reaches that bound is taken on to
   * its end: white space or one of {@code ends} ({@code null}: the match stands as read). When the
   * credential (as far as read) holds a match of another kind (a token of a known shape, ghp_...,
   * AKIA..., an e-mail address), null: the scan finds it next, under its own rule.
   */
  private static Hit unlessPlaceholder(
      String text, int at, Type type, Pattern pattern, String ends) {
    int limit = (int) Math.min(text.length(), (long) at + MAX_CREDENTIAL_CHARS);
    Matcher m = pattern.matcher(text).region(at, limit);
    if (!m.lookingAt()
        || Placeholders.isPlaceholder(m.group(1))
        || !TextScanner.scan(m.group(1), false).isEmpty()) {
      return null;
    }
    int end = m.end();
    if (end == limit && ends != null) {
      while (end < text.length()
          && !isPatternSpace(text.charAt(end))
          && ends.indexOf(text.charAt(end)) < 0) {
        end++;
      }
    }
    return new Hit(type, at, end);
  }

  /** White space as {@code \s} in a pattern means it. */
  private static boolean isPatternSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  private static boolean isAzureKeyName(String text, int at) {
    return text.regionMatches(true, at, "AccountKey=", 0, 11)
        || text.regionMatches(true, at, "SharedAccessKey=", 0, 16);
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

  /**
   * True when {@code prefix} also starts earlier in the run of token characters ({@code
   * [A-Za-z0-9_-]}) that holds {@code i}, where the scan tried it (after a character that is no
   * letter or digit). The JWT and OpenAI patterns read to the end of such a run, so the earlier try
   * covered this one: a match here would have been a match there. Without this, each {@code eyJ} of
   * {@code eyJaa-eyJaa-...} would read the rest of the run: quadratic in its length. Reads back to
   * the nearest such start, or the run's start.
   */
  static boolean triedEarlierInRun(String text, int i, String prefix) {
    for (int k = i - 1; k >= 0; k--) {
      char c = text.charAt(k);
      if (!(isAsciiLetterOrDigit(c) || c == '_' || c == '-')) {
        return false;
      }
      if (text.startsWith(prefix, k) && (k == 0 || !isAsciiLetterOrDigit(text.charAt(k - 1)))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
