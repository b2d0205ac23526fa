package org.kfm.telemetry.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    SECRET_FIELD(RuleId.SECRET_004, "the value of a password/secret/token field"),
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
  private static final Pattern AZURE = Pattern.compile("(?i:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{20,}={0,2}");
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "(?i:bearer|basic)\\s+[A-Za-z0-9._~+/-]{12,}=*(?![A-Za-z0-9._~+/=-])");
  private static final Pattern GITHUB = Pattern.compile(
      "(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|glpat-[A-Za-z0-9_-]{20,})");
  private static final Pattern SLACK = Pattern.compile("(?:xox[abposr]-|xapp-[0-9]-)[A-Za-z0-9-]{10,}");
  private static final Pattern SLACK_WEBHOOK = Pattern.compile("hooks\\.slack\\.com/services/[A-Za-z0-9/_-]{20,}");
  private static final Pattern STRIPE = Pattern.compile("[sr]k_(?:live|test)_[A-Za-z0-9]{16,}");
  private static final Pattern OPENAI = Pattern.compile("sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}");
  private static final Pattern NPM = Pattern.compile("npm_[A-Za-z0-9]{36}");
  /** User-info with a password ({@code scheme://user:password@}); group 1 is the password. */
  private static final Pattern URL_USERINFO = Pattern.compile("://[^/?#\\s:@]*:([^/?#\\s@]+)@");
  /** Where a secret is kept rather than the secret: {@code ${VAR}}, {@code vault:path/...}, a secrets manager ARN. */
  private static final Pattern REFERENCE = Pattern.compile(
      "\\$\\{[A-Za-z0-9_.:-]{1,128}}|(?:vault|secretref):[^\\s]*/[^\\s]*|arn:aws:secretsmanager:[^\\s]+"
          + "|env:[A-Z_][A-Z0-9_]{0,127}|%[A-Z_][A-Z0-9_]{0,127}%");
  /** A redaction marker: {@code REDACTED}, {@code [REDACTED]}, {@code <redacted>}, {@code [REDACTED:sha256:...]}. */
  private static final Pattern REDACTED = Pattern.compile("(?i)[\\[<(]?redacted(?::[a-z0-9:]{1,80})?[\\]>)]?");
  /** Query and fragment parameter names that carry credentials besides secret-like names. */
  private static final java.util.Set<String> SECRET_PARAMETERS = java.util.Set.of("sig", "auth", "pwd",
      "x-amz-security-token", "x-amz-credential", "x-goog-credential");
  /** A query or fragment parameter; group 1 is its value. */
  private static final Pattern SECRET_QUERY = Pattern.compile("[?&;#][A-Za-z0-9_.-]+=([^&#\\s\"']+)");
  /** {@code NAME=value} / {@code NAME: value} in free text; group 1 is the value. */
  private static final Pattern ASSIGNMENT = Pattern.compile("=\\s?([^\\s&;,\"'<>]{4,})");
  /** Extensions of files that show up after an '@' in asset names (sprite@2x.png) and are no top-level domain. */
  private static final java.util.Set<String> FILE_EXTENSIONS = java.util.Set.of("json", "geojson", "ndjson", "png",
      "jpg", "jpeg", "gif", "svg", "webp", "js", "css", "html", "htm", "xml", "csv", "tif", "tiff", "pbf", "mvt",
      "yaml", "yml", "txt", "pdf", "parquet", "avro", "wasm", "map", "avif", "ico", "gz", "tgz", "tar", "zip",
      "onnx", "bin", "pt", "pth", "h5", "pkl", "safetensors", "gguf", "mp4", "webm", "woff", "woff2", "ttf");
  private static final Pattern PHONE_E164 = Pattern.compile(
      "\\+[1-9][0-9]{0,3}(?:[ .\\u00A0-]?\\(?[0-9]{1,4}\\)?){1,5}(?![0-9A-Za-z])");
  /**
   * North American numbers written as phone numbers: {@code (785) 555-0123}, {@code 785-555-0123},
   * {@code 785.555.0123}; not space-separated groups, which are far more often lists of sizes.
   */
  private static final Pattern PHONE_NANP = Pattern.compile(
      "(?:\\([2-9][0-9]{2}\\)[ \\u00A0]?[2-9][0-9]{2}[ .\\u00A0-]|[2-9][0-9]{2}-[2-9][0-9]{2}-|[2-9][0-9]{2}\\.[2-9][0-9]{2}\\.)[0-9]{4}"
          + "(?![0-9A-Za-z]|[ .-][0-9])");

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
  /** Characters a credential cannot directly follow: it starts after anything else ("KEY=AKIA..."). */
  private static final boolean[] ALNUM = new boolean[128];
  /** Characters a phone number cannot directly follow: digits belong to ids, paths and versions. */
  private static final boolean[] NUMBER_JOINERS = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      ALNUM[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      NUMBER_JOINERS[c] = ALNUM[c] || "_+/=-.:".indexOf(c) >= 0;
      int blocks = (ALNUM[c] ? TOKEN_START : 0) | (NUMBER_JOINERS[c] ? NUMBER_START : 0);
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

  private TextScanner() {
  }

  /** Returns every secret or PII match in {@code text}, in order; an empty list when none. */
  public static List<Hit> scan(String text) {
    if (isHexDigest(text)) {
      return List.of(); // digests and ids, the bulk of telemetry text, can hold none of the patterns
    }
    List<Hit> hits = null;
    int n = text.length();
    int previous = 0; // the text's start blocks nothing, like a space
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      // Beyond ASCII nothing starts a match and nothing blocks one.
      int traits = c < 128 ? CHARS[c] : 0;
      if ((traits & ~(previous >>> BLOCKS_SHIFT) & STARTS) != 0) {
        Hit hit = candidateAt(text, i, n);
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
   * Looks for a match starting at {@code i}. Cheap literal checks come first so that a pattern
   * runs only where its fixed prefix is already present.
   */
  private static Hit candidateAt(String text, int i, int n) {
    char c = text.charAt(i);
    switch (c) {
      case 'A':
        if (n - i >= 20) {
          if (isAzureKeyName(text, i)) {
            return match(text, i, Type.AZURE_ACCOUNT_KEY, AZURE);
          }
          if (text.startsWith("AKIA", i) || text.startsWith("ASIA", i) || text.startsWith("ABIA", i)
              || text.startsWith("ACCA", i)) {
            return match(text, i, Type.AWS_ACCESS_KEY, AWS);
          }
          if (text.startsWith("AIza", i)) {
            return match(text, i, Type.GOOGLE_API_KEY, GOOGLE);
          }
        }
        return null;
      case 'e':
        return text.startsWith("eyJ", i) ? match(text, i, Type.JWT, JWT) : null;
      case 'B':
      case 'b':
        if ((text.regionMatches(true, i, "bearer", 0, 6) || text.regionMatches(true, i, "basic", 0, 5))
           ) {
          return tokenLike(match(text, i, Type.AUTHORIZATION, AUTHORIZATION), text, false);
        }
        return null;
      case 'g':
        if ((text.startsWith("gh", i) && i + 3 < n && text.charAt(i + 3) == '_' && "pousr".indexOf(text.charAt(i + 2)) >= 0
            || text.startsWith("github_pat_", i) || text.startsWith("glpat-", i))) {
          return match(text, i, Type.VENDOR_TOKEN, GITHUB);
        }
        return null;
      case 'x':
        return text.startsWith("xox", i) || text.startsWith("xapp-", i) ? match(text, i, Type.VENDOR_TOKEN, SLACK) : null;
      case 'h':
        return text.startsWith("hooks.slack.com/", i) ? match(text, i, Type.VENDOR_TOKEN, SLACK_WEBHOOK) : null;
      case 's':
      case 'r':
        if (i + 3 < n && text.charAt(i + 1) == 'k') {
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
        return text.startsWith("npm_", i) ? match(text, i, Type.VENDOR_TOKEN, NPM) : null;
      case '-':
        return text.startsWith("-----BEGIN ", i) ? privateKey(text, i) : null;
      case ':':
        return text.startsWith("://", i) && text.indexOf('@', i) > 0
            ? unlessPlaceholder(text, i, Type.URL_CREDENTIALS, URL_USERINFO) : null;
      case '?':
      case '&':
      case ';':
      case '#':
        if (isAzureKeyName(text, i + 1)) {
          return match(text, i + 1, Type.AZURE_ACCOUNT_KEY, AZURE);
        }
        return isSecretParameter(text, i + 1, n) ? unlessPlaceholder(text, i, Type.URL_CREDENTIALS, SECRET_QUERY) : null;
      case '=':
        return isAfterSecretName(text, i) ? unlessPlaceholder(text, i, Type.SECRET_FIELD, ASSIGNMENT) : null;
      case '@':
        return email(text, i);
      case '+':
        return i + 1 < n && isDigit(text.charAt(i + 1)) && numberBoundaryBefore(text, i) ? phone(text, i, PHONE_E164) : null;
      case '(':
        return i + 4 < n && text.charAt(i + 4) == ')' ? phone(text, i, PHONE_NANP) : null;
      default:
        if (isDigit(c) && n - i >= 12 && isPhoneSeparator(text.charAt(i + 3)) && isDigit(text.charAt(i + 1))
            && isDigit(text.charAt(i + 2)) && numberBoundaryBefore(text, i)) {
          return phone(text, i, PHONE_NANP);
        }
        return null;
    }
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
    return SECRET_PARAMETERS.contains(name) || name.endsWith("signature")
        || KeyTraits.has(KeyTraits.of(name), KeyTraits.SECRET);
  }

  /** True when the {@code =} at {@code at} follows a secret-like name: {@code AWS_SECRET_ACCESS_KEY=...}. */
  private static boolean isAfterSecretName(String text, int at) {
    int start = at;
    while (start > 0 && at - start < 64) {
      char c = text.charAt(start - 1);
      if (!(isAsciiLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
        break;
      }
      start--;
    }
    return start < at && (start == 0 || !"?&;#".contains(String.valueOf(text.charAt(start - 1))))
        && KeyTraits.has(KeyTraits.of(text.substring(start, at)), KeyTraits.SECRET);
  }

  /**
   * A credential in a URL or an assignment, unless it is a placeholder. When the credential is a
   * token of a known shape (ghp_..., AKIA...), null: the scan finds it next, under its own rule.
   */
  private static Hit unlessPlaceholder(String text, int at, Type type, Pattern pattern) {
    Matcher m = pattern.matcher(text).region(at, text.length());
    if (!m.lookingAt() || isPlaceholder(m.group(1)) || !scan(m.group(1)).isEmpty()) {
      return null;
    }
    return new Hit(type, at, m.end());
  }

  private static boolean isAzureKeyName(String text, int at) {
    return text.regionMatches(true, at, "AccountKey=", 0, 11) || text.regionMatches(true, at, "SharedAccessKey=", 0, 16);
  }

  /** Lower-case hex, optionally after {@code sha256:}. */
  private static boolean isHexDigest(String text) {
    int from = text.startsWith("sha256:") ? 7 : 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return text.length() > from;
  }

  private static boolean isPhoneSeparator(char c) {
    return c == '.' || c == '-';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
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
    int n = text.length();
    for (int quote = text.indexOf('"'); quote >= 0 && quote < n; quote = text.indexOf('"', quote + 1)) {
      int close = text.indexOf('"', quote + 1);
      if (close < 0 || close - quote > 257) {
        continue;
      }
      int colon = skipSpace(text, close + 1);
      if (colon >= n || text.charAt(colon) != ':'
          || !KeyTraits.has(KeyTraits.of(text.substring(quote + 1, close)), KeyTraits.SECRET)) {
        continue;
      }
      int start = skipSpace(text, colon + 1);
      int end = start;
      if (start < n && text.charAt(start) == '"') {
        end = start + 1;
        while (end < n && text.charAt(end) != '"') {
          end += text.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(end + 1, n);
      } else {
        while (end < n && ",}] \t\r\n".indexOf(text.charAt(end)) < 0) {
          end++;
        }
      }
      if (end > start && !isPlaceholderValue(text, start, end)) {
        hits.add(new Hit(Type.SECRET_FIELD, start, end));
      }
      quote = end - 1;
    }
    hits.sort(java.util.Comparator.comparingInt(Hit::start));
    return hits;
  }

  /**
   * Empty, masked ({@code ****}), redacted ({@code [REDACTED]}, or this service's own
   * {@code [REDACTED:sha256:...]} marker), a sha256 digest, or a reference to where the secret lives
   * ({@code ${VAR}}, {@code vault:path/...}, {@code env:NAME}, a secrets manager ARN). The whole value
   * must be one of these: {@code ***hunter2} is not masked.
   */
  public static boolean isPlaceholder(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return true;
    }
    boolean masked = true;
    for (int i = 0; i < t.length() && masked; i++) {
      char c = t.charAt(i);
      masked = c == '*' || c == 'x' || c == 'X' || c == '\u2022' || c == '#' || c == '-' || c == '.';
    }
    if (masked) {
      return true;
    }
    if (t.length() > 200) {
      return false;
    }
    return REDACTED.matcher(t).matches() || REFERENCE.matcher(t).matches()
        || (t.startsWith("sha256:") && isHexDigest(t) && t.length() == 71);
  }

  private static boolean isPlaceholderValue(String text, int start, int end) {
    boolean quoted = end - start >= 2 && text.charAt(start) == '"';
    String value = quoted ? text.substring(start + 1, end - 1) : text.substring(start, end);
    return isPlaceholder(value) || (!quoted && (value.equals("null") || value.equals("true") || value.equals("false")));
  }

  private static int skipSpace(String text, int from) {
    int i = from;
    while (i < text.length() && " \t\r\n".indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    return i;
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
    while (start > 0 && at - start <= 64 && isLocalPartChar(text.charAt(start - 1))) {
      start--;
    }
    if (start == at) {
      return null;
    }
    int end = domainEnd(text, at + 1);
    if (end < 0) {
      return null;
    }
    String local = text.substring(start, at);
    // "git@github.com:org/repo" and "ssh://git@host/..." are repository remotes, not somebody's address.
    if ((local.equals("git") || local.equals("hg"))
        && ((end < text.length() && text.charAt(end) == ':') || (start >= 3 && text.startsWith("://", start - 3)))) {
      return null;
    }
    return new Hit(Type.EMAIL, start, end);
  }

  /**
   * The end of a domain name starting at {@code from}: dot-separated labels of letters, digits and
   * inner hyphens, the last one 2..24 letters and not a file extension; -1 when there is none.
   */
  private static int domainEnd(String text, int from) {
    int n = Math.min(text.length(), from + 253);
    int i = from;
    int labels = 0;
    int lastLabelStart = -1;
    boolean lastAllLetters = false;
    while (i < n) {
      int labelStart = i;
      boolean letters = true;
      while (i < n && (isLabelLetter(text.charAt(i)) || isDigit(text.charAt(i)) || text.charAt(i) == '-')) {
        letters &= isLabelLetter(text.charAt(i));
        i++;
      }
      int length = i - labelStart;
      if (length == 0 || length > 63 || text.charAt(labelStart) == '-' || text.charAt(i - 1) == '-') {
        break;
      }
      labels++;
      lastLabelStart = labelStart;
      lastAllLetters = letters;
      if (i + 1 < n && text.charAt(i) == '.' && (isLabelLetter(text.charAt(i + 1)) || isDigit(text.charAt(i + 1)))) {
        i++;
      } else {
        break;
      }
    }
    if (labels < 2 || !lastAllLetters) {
      return -1;
    }
    int end = lastLabelStart;
    while (end < text.length() && (isLabelLetter(text.charAt(end)) || isDigit(text.charAt(end)) || text.charAt(end) == '-')) {
      end++;
    }
    String tld = text.substring(lastLabelStart, end);
    if (tld.length() < 2 || tld.length() > 24 || FILE_EXTENSIONS.contains(tld.toLowerCase(java.util.Locale.ROOT))) {
      return -1;
    }
    return end;
  }

  /** A PEM private key block: {@code -----BEGIN <WORDS> PRIVATE KEY-----} up to its END line. */
  private static Hit privateKey(String text, int at) {
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

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Letters of domain labels: ASCII and, for internationalised names, any Unicode letter. */
  private static boolean isLabelLetter(char c) {
    return isAsciiLetter(c) || (c >= 128 && Character.isLetter(c));
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return isAsciiLetter(c) || (c >= '0' && c <= '9');
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
        || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || (c >= 128 && Character.isLetterOrDigit(c));
  }

  private static boolean isBoundary(char previous, boolean[] joiners) {
    return previous >= 128 || !joiners[previous];
  }

  /** Whether a phone number may start at {@code at}. */
  private static boolean numberBoundaryBefore(String text, int at) {
    return at == 0 || isBoundary(text.charAt(at - 1), NUMBER_JOINERS);
  }
}
