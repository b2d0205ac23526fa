package org.kfm.telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Markdown of README.md and docs/ as the Docs*Test classes read it: fenced code left out,
 * headings by level, table rows as cells.
 */
final class DocsPages {

  /** The directory of the documentation pages. */
  static final Path DOCS = Path.of("docs");

  /** A backticked span: group 1 is its text. */
  static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

  private static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");

  private DocsPages() {}

  static String withoutFencedCode(String markdown) {
    StringBuilder out = new StringBuilder();
    boolean fenced = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.trim().startsWith("```")) {
        fenced = !fenced;
        out.append('\n');
        continue;
      }
      out.append(fenced ? "" : line).append('\n');
    }
    return out.toString();
  }

  static int headingLevel(String line) {
    int level = 0;
    while (level < line.length() && line.charAt(level) == '#') {
      level++;
    }
    return level < line.length() && line.charAt(level) == ' ' ? level : Integer.MAX_VALUE;
  }

  /** The cells of a table row, without the outer pipes; {@code \|} stays inside a cell. */
  static List<String> cells(String row) {
    String inner = row.trim();
    inner =
        inner.substring(
            1, inner.endsWith("|") && inner.length() > 1 ? inner.length() - 1 : inner.length());
    return List.of(CELL_SEPARATOR.split(inner, -1));
  }

  static String cell(List<String> cells, int index) {
    return index < 0 || index >= cells.size() ? null : cells.get(index);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
