package org.kfm.telemetry.dev;

/**
 * A request the embedded registry refuses, as Confluent would: the HTTP status and Confluent {@code
 * error_code} to answer with, and a message for the client.
 */
final class RegistryError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final int errorCode;

  RegistryError(int status, int errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  int status() {
    return status;
  }

  int errorCode() {
    return errorCode;
  }

  static RegistryError subjectNotFound(String subject) {
    return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
  }

  static RegistryError versionNotFound(Object version) {
    return new RegistryError(404, 40402, "Version " + version + " not found.");
  }

  static RegistryError schemaNotFound(String message) {
    return new RegistryError(404, 40403, message);
  }

  static RegistryError subjectSoftDeleted(String subject) {
    return new RegistryError(
        404,
        40404,
        "Subject '"
            + subject
            + "' was soft deleted. Set permanent=true to delete "
            + "permanently");
  }

  static RegistryError subjectNotSoftDeleted(String subject) {
    return new RegistryError(
        404,
        40405,
        "Subject '" + subject + "' was not deleted first before being permanently " + "deleted");
  }

  static RegistryError versionSoftDeleted(String subject, int version) {
    return new RegistryError(
        404,
        40406,
        "Subject '"
            + subject
            + "' Version "
            + version
            + " was soft deleted. Set "
            + "permanent=true to delete permanently");
  }

  static RegistryError versionNotSoftDeleted(String subject, int version) {
    return new RegistryError(
        404,
        40407,
        "Subject '"
            + subject
            + "' Version "
            + version
            + " was not deleted first "
            + "before being permanently deleted");
  }

  static RegistryError compatibilityNotConfigured(String subject) {
    return new RegistryError(
        404,
        40408,
        "Subject '" + subject + "' does not have subject-level compatibility " + "configured");
  }

  static RegistryError invalidSchema(String message) {
    return new RegistryError(422, 42201, message);
  }

  static RegistryError invalidVersion(String version) {
    return new RegistryError(
        422,
        42202,
        "The specified version '"
            + version
            + "' is not a valid version id. "
            + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }

  static RegistryError invalidCompatibility() {
    return new RegistryError(
        422,
        42203,
        "Invalid compatibility level. Valid values are none, backward, forward, "
            + "full, backward_transitive, forward_transitive, and full_transitive");
  }

  static RegistryError store(String message) {
    return new RegistryError(500, 50001, message);
  }
}
