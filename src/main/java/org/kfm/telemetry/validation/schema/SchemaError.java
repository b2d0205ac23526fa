package org.kfm.telemetry.validation.schema;

/**
 * One JSON Schema violation.
 *
 * @param pointer JSON Pointer to the offending instance value (for {@code required}, to the missing
 *     member)
 * @param keyword the keyword that failed, e.g. {@code type}, {@code required}, {@code pattern}
 * @param schemaLocation absolute location of the failing keyword's schema ({@code <document
 *     $id>#<pointer>})
 * @param message short English explanation
 */
public record SchemaError(String pointer, String keyword, String schemaLocation, String message) {}
