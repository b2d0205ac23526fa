package org.kfm.telemetry.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of a {@code .dockerignore} file, matched as Docker matches them: patterns are relative
 * to the context root, {@code *} and {@code ?} stay within one path segment, {@code **} spans any
 * number of them, a pattern that matches a directory excludes what is below it, {@code !}
 * re-includes, and the last matching rule wins.
 */
record DockerIgnore(List<Rule> rules) {

  /** One line of the file: its pattern as a regular expression, and whether it re-includes. */
  record Rule(String pattern, Pattern regex, boolean exception) {}

  static DockerIgnore read(Path file) {
    try {
      return parse(Files.readAllLines(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DockerIgnore parse(List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (String line : lines) {
      String p = line.strip();
      if (p.isEmpty() || p.startsWith("#")) {
        continue;
      }
      boolean exception = p.startsWith("!");
      if (exception) {
        p = p.substring(1).strip();
      }
      p = p.replaceAll("^/+", "").replaceAll("/+$", "");
      rules.add(new Rule(p, Pattern.compile(toRegex(p)), exception));
    }
    return new DockerIgnore(List.copyOf(rules));
  }

  /** Whether the context path (relative, with {@code /}) is left out of the build context. */
  boolean excludes(String path) {
    String clean = path.replaceAll("^\\./", "").replaceAll("/+$", "");
    boolean excluded = false;
    for (Rule rule : rules) {
      if (matchesItselfOrAParent(rule, clean)) {
        excluded = !rule.exception();
      }
    }
    return excluded;
  }

  private static boolean matchesItselfOrAParent(Rule rule, String path) {
    String candidate = path;
    while (true) {
      if (rule.regex().matcher(candidate).matches()) {
        return true;
      }
      int slash = candidate.lastIndexOf('/');
      if (slash < 0) {
        return false;
      }
      candidate = candidate.substring(0, slash);
    }
  }

  private static String toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean slashFollows = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
        re.append(slashFollows ? "(?:.*/)?" : ".*");
        i += slashFollows ? 2 : 1;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
