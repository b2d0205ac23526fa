package org.kfm.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.DocsPages.BACKTICKED;
import static org.kfm.telemetry.DocsPages.DOCS;
import static org.kfm.telemetry.DocsPages.cells;
import static org.kfm.telemetry.DocsPages.headingLevel;
import static org.kfm.telemetry.DocsPages.read;
import static org.kfm.telemetry.DocsPages.withoutFencedCode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.app.KfmCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/commands.md against the command line, both ways, so that it cannot drift: every documented
 * command and option exists, and every command and option is documented.
 *
 * <p>The conventions it relies on (stated at the top of docs/commands.md): each command is a
 * heading {@code ### kfm <command> [<subcommand>]}; siblings that share a section are written
 * {@code diff|apply}; {@code ### kfm} holds the options every command has (help, version). Each
 * option is a row of its section's table whose first cell names it in backticks ({@code `--data-dir
 * DIR`}, {@code `-h`, `--help`}). Prose may mention anything.
 */
class DocsCommandsTest {

  private static final Path COMMANDS = DOCS.resolve("commands.md");
  private static final Pattern COMMAND_HEADING =
      Pattern.compile("^### (kfm(?: [a-z][a-z-]*(?:\\|[a-z][a-z-]*)*)*)\\s*$");
  private static final Pattern OPTION = Pattern.compile("-{1,2}[A-Za-z0-9][A-Za-z0-9-]*");

  @Test
  void shouldDocumentOnlyCommandsAndOptionsTheCliHas() {
    // Given the command line's commands and the sections of docs/commands.md
    Map<String, CommandSpec> cli = cliCommands();
    List<CommandSection> sections = commandSections();

    // When each documented command and option is looked up in the command line
    List<String> unknown = new ArrayList<>();
    for (CommandSection section : sections) {
      for (String command : section.commands()) {
        CommandSpec spec = cli.get(command);
        if (spec == null) {
          unknown.add("command `" + command + "` (line " + section.line() + ")");
          continue;
        }
        Set<String> names = new TreeSet<>();
        spec.options().forEach(o -> names.addAll(List.of(o.names())));
        section.options().stream()
            .filter(o -> !names.contains(o))
            .forEach(
                o ->
                    unknown.add(
                        "option `" + o + "` of `" + command + "` (line " + section.line() + ")"));
      }
    }

    // Then every one of them exists
    assertThat(sections).as("command sections (### kfm ...) in %s", COMMANDS).isNotEmpty();
    assertThat(unknown).as("documented in %s but not in the command line", COMMANDS).isEmpty();
  }

  @Test
  void shouldDocumentEveryCommandAndOptionOfTheCli() {
    // Given the sections of docs/commands.md, by command
    List<CommandSection> sections = commandSections();
    Map<String, Set<String>> documented = new TreeMap<>();
    sections.forEach(
        s ->
            s.commands()
                .forEach(
                    c -> documented.computeIfAbsent(c, k -> new TreeSet<>()).addAll(s.options())));
    Set<String> everyCommand = documented.getOrDefault("kfm", Set.of());

    // When every command of the command line and its options are looked for there
    List<String> missing = new ArrayList<>();
    cliCommands()
        .forEach(
            (command, spec) -> {
              boolean hasSection =
                  documented.containsKey(command)
                      || documented.keySet().stream().anyMatch(d -> d.startsWith(command + " "));
              if (!hasSection) {
                missing.add("command `" + command + "`");
              }
              for (OptionSpec option : spec.options()) {
                boolean common = option.usageHelp() || option.versionHelp();
                Set<String> where =
                    common ? everyCommand : documented.getOrDefault(command, Set.of());
                for (String name : option.names()) {
                  if (!where.contains(name)) {
                    missing.add(
                        "option `"
                            + name
                            + "` of `"
                            + command
                            + "`"
                            + (common ? " (in the `### kfm` section)" : ""));
                  }
                }
              }
            });

    // Then nothing is missing
    assertThat(missing).as("in the command line but not documented in %s", COMMANDS).isEmpty();
  }

  /** Every command of {@code kfm}, by qualified name ("kfm topics diff"). */
  @Test
  void shouldRenderEveryHelpTextWithoutPicocliWarnings() {
    // Given every text of the command line's help: picocli formats each with String.format, and
    // only warns on stderr (printing the raw text) when one cannot be formatted (a lone "%")
    Map<String, String> texts = new TreeMap<>();
    cliCommands()
        .forEach(
            (name, spec) -> {
              List<String> own = new ArrayList<>();
              own.addAll(List.of(spec.usageMessage().description()));
              own.addAll(List.of(spec.usageMessage().header()));
              own.addAll(List.of(spec.usageMessage().footer()));
              own.forEach(t -> texts.put(name + ": " + t, t));
              spec.options()
                  .forEach(
                      o ->
                          List.of(o.description())
                              .forEach(t -> texts.put(name + " " + o.longestName() + ": " + t, t)));
              spec.positionalParameters()
                  .forEach(
                      p ->
                          List.of(p.description())
                              .forEach(t -> texts.put(name + " " + p.paramLabel() + ": " + t, t)));
            });

    // When each is formatted as picocli does
    List<String> broken = new ArrayList<>();
    texts.forEach(
        (where, text) -> {
          try {
            String.format(Locale.ROOT, text);
          } catch (IllegalFormatException e) {
            broken.add(where + " (" + e.getMessage() + ")");
          }
        });

    // Then none fails (write "%%" for a percent sign)
    assertThat(texts).isNotEmpty();
    assertThat(broken).as("help texts picocli cannot format").isEmpty();
  }

  private static Map<String, CommandSpec> cliCommands() {
    Map<String, CommandSpec> commands = new LinkedHashMap<>();
    collect(KfmCommand.commandLine(), commands);
    return commands;
  }

  private static void collect(CommandLine cl, Map<String, CommandSpec> into) {
    into.put(cl.getCommandSpec().qualifiedName(" "), cl.getCommandSpec());
    cl.getSubcommands().values().forEach(sub -> collect(sub, into));
  }

  /**
   * A {@code ### kfm ...} section: the commands it names and the options of its tables' first
   * column.
   */
  private record CommandSection(int line, List<String> commands, Set<String> options) {}

  private static List<CommandSection> commandSections() {
    List<CommandSection> sections = new ArrayList<>();
    List<String> commands = null;
    Set<String> options = null;
    int start = 0;
    int n = 0;
    for (String line : withoutFencedCode(read(COMMANDS)).split("\n", -1)) {
      n++;
      if (line.startsWith("#") && headingLevel(line) <= 3) {
        if (commands != null) {
          sections.add(new CommandSection(start, commands, options));
        }
        Matcher heading = COMMAND_HEADING.matcher(line);
        commands = heading.matches() ? expand(heading.group(1)) : null;
        options = new LinkedHashSet<>();
        start = n;
      } else if (commands != null && line.startsWith("|")) {
        options.addAll(optionsIn(firstCell(line)));
      }
    }
    if (commands != null) {
      sections.add(new CommandSection(start, commands, options));
    }
    return sections;
  }

  /** "kfm topics diff|apply" → "kfm topics diff", "kfm topics apply". */
  private static List<String> expand(String heading) {
    List<String> names = List.of("");
    for (String word : heading.split(" ")) {
      List<String> next = new ArrayList<>();
      for (String prefix : names) {
        for (String alternative : word.split("\\|")) {
          next.add(prefix.isEmpty() ? alternative : prefix + " " + alternative);
        }
      }
      names = next;
    }
    return names;
  }

  private static Set<String> optionsIn(String cell) {
    Set<String> options = new LinkedHashSet<>();
    Matcher m = BACKTICKED.matcher(cell);
    while (m.find()) {
      String first = m.group(1).trim().split("\\s+")[0];
      if (OPTION.matcher(first).matches()) {
        options.add(first);
      }
    }
    return options;
  }

  private static String firstCell(String row) {
    return cells(row).get(0);
  }
}
