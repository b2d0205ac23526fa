package org.kfm.telemetry.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Dockerfile read into its build stages and instructions: enough of the Dockerfile syntax for
 * tests (comments, parser directives, backslash continuations, JSON-array arguments), not a full
 * parser.
 */
record Dockerfile(List<Stage> stages) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One instruction: its keyword in upper case and its arguments as written. */
  record Instruction(String keyword, String arguments) {

    /**
     * The arguments of the exec (JSON array) form, e.g. {@code ENTRYPOINT ["java", "-jar", ...]}.
     */
    List<String> execForm() {
      try {
        return JSON.readValue(arguments, new TypeReference<List<String>>() {});
      } catch (IOException e) {
        throw new AssertionError(
            keyword + " " + arguments + " is not in the exec (JSON array) form", e);
      }
    }

    /** The words of the arguments, flags ({@code --from=build}) included. */
    List<String> words() {
      return List.of(arguments.trim().split("\\s+"));
    }
  }

  /** A build stage: its base image, its name ({@code AS name}, or null) and its instructions. */
  record Stage(String base, String name, List<Instruction> instructions) {

    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The last instruction with this keyword (the one that takes effect, for USER, CMD, ...). */
    Optional<Instruction> last(String keyword) {
      List<Instruction> found = all(keyword);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }
  }

  static Dockerfile read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Dockerfile parse(String text) {
    List<Stage> stages = new ArrayList<>();
    StringBuilder logical = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || trimmed.isEmpty() && logical.isEmpty()) {
        continue; // comments (parser directives included) and blank lines between instructions
      }
      if (trimmed.endsWith("\\")) {
        logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      logical.append(trimmed);
      String instruction = logical.toString().strip();
      logical.setLength(0);
      if (!instruction.isEmpty()) {
        add(stages, instruction);
      }
    }
    return new Dockerfile(List.copyOf(stages));
  }

  private static void add(List<Stage> stages, String instruction) {
    String[] parts = instruction.split("\\s+", 2);
    Instruction i =
        new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
    if (i.keyword().equals("FROM")) {
      List<String> words = i.words().stream().filter(w -> !w.startsWith("--")).toList();
      String name = words.size() == 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
      stages.add(new Stage(words.get(0), name, new ArrayList<>()));
    } else if (stages.isEmpty()) {
      throw new AssertionError("instruction before the first FROM: " + instruction);
    } else {
      stages.get(stages.size() - 1).instructions().add(i);
    }
  }

  /** The stage the image is made of: the last one. */
  Stage runtime() {
    return stages.get(stages.size() - 1);
  }

  Stage stage(String name) {
    return stages.stream()
        .filter(s -> name.equals(s.name()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no build stage named " + name));
  }
}
