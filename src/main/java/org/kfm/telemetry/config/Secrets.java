package org.kfm.telemetry.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides which configuration values are secrets and masks them (and credentials in URLs) for logs
 * and errors.
 */
public final class Secrets {

  public static final String MASK = "[hidden]";

  private static final String[] SECRET_WORDS = {
    "password",
    "jaas",
    "user.info",
    "secret",
    "token",
    "keystore.key",
    "keystore.certificate.chain",
    "truststore.certificates",
    "private",
    "credential",
    "apikey",
    "api.key"
  };
  private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/@\\s,]+@");

  private Secrets() {}

  /** Whether the value of {@code key} must never be shown. */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT).replace('-', '.').replace('_', '.');
    if (k.endsWith(".source")) {
      // basic.auth.credentials.source names where credentials come from (URL, USER_INFO); it is no
      // secret
      return false;
    }
    for (String word : SECRET_WORDS) {
      if (k.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code value} as it may be logged: hidden for a secret key, else with any {@code
   * user:password@} of a URL hidden.
   */
  public static String mask(String key, String value) {
    if (value == null) {
      return null;
    }
    if (isSecret(key)) {
      return MASK;
    }
    return URL_USER_INFO.matcher(value).replaceAll(MASK + "@");
  }
}
