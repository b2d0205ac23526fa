package org.kfm.telemetry.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kfm.telemetry.validation.Findings;
import org.kfm.telemetry.validation.Payload;
import org.kfm.telemetry.validation.Rule;
import org.kfm.telemetry.validation.RuleId;

/** KFM-META-001/003/004: {@code schema_version} is SemVer 2.0.0 with major 2. */
public final class VersionRule implements Rule {

  /** The contract version this validator implements. */
  public static final String CONTRACT_VERSION = "2.0.0";

  static final int SUPPORTED_MAJOR = 2;
  static final int KNOWN_MINOR = 0;

  // The regular expression published at semver.org for SemVer 2.0.0.
  private static final Pattern SEMVER =
      Pattern.compile(
          "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
              + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
              + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

  @Override
  public void check(Payload payload, Findings findings) {
    JsonNode node = payload.root().get("schema_version");
    if (node == null) {
      findings.add(
          RuleId.META_001, "/schema_version", "schema_version is required (e.g. \"2.0.0\")");
      return;
    }
    if (!node.isTextual()) {
      findings.add(
          RuleId.META_001,
          "/schema_version",
          "schema_version must be a SemVer string such as \"2.0.0\"");
      return;
    }
    String version = node.textValue();
    if (CONTRACT_VERSION.equals(version)) {
      return;
    }
    Matcher m = SEMVER.matcher(version);
    if (version.length() > 256 || !m.matches()) {
      findings.add(
          RuleId.META_001,
          "/schema_version",
          "schema_version \""
              + abbreviate(version)
              + "\" is not a SemVer 2.0.0 version such as \"2.0.0\"");
      return;
    }
    long major = parse(m.group(1));
    if (major != SUPPORTED_MAJOR) {
      findings.add(
          RuleId.META_003,
          "/schema_version",
          "schema_version "
              + version
              + " has major version "
              + m.group(1)
              + "; this service accepts major "
              + SUPPORTED_MAJOR
              + " only");
    } else if (parse(m.group(2)) > KNOWN_MINOR) {
      findings.add(
          RuleId.META_004,
          "/schema_version",
          "schema_version "
              + version
              + " is newer than this validator's "
              + CONTRACT_VERSION
              + "; fields it does not know were not checked");
    }
  }

  private static long parse(String digits) {
    return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
