package org.kfm.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.app.KfmCommand;
import org.kfm.telemetry.config.ConfigKeys;
import org.kfm.telemetry.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The documentation against the code, so that it cannot drift: commands and options in
 * docs/commands.md, settings in docs/configuration.md, relative links in README.md and docs/.
 *
 * <p>The conventions it relies on (stated at the top of docs/commands.md):
 *
 * <ul>
 *   <li>docs/commands.md: each command is a heading {@code ### kfm <command> [<subcommand>]};
 *       siblings that share a section are written {@code diff|apply}; {@code ### kfm} holds the
 *       options every command has (help, version). Each option is a row of its section's table
 *       whose first cell names it in backticks ({@code `--data-dir DIR`}, {@code `-h`, `--help`}).
 *       Prose may mention anything.
 *   <li>Settings tables: a table whose first header cell is {@code key}; each row's first cell
 *       names its key(s) in backticks, a pass-through family as {@code `kafka.*`} or {@code
 *       `health.slo.overrides.<pipeline>.trace-pct`}; a {@code default} column holds the default in
 *       backticks, an {@code environment variable} column the variable.
 * </ul>
 */
class DocsTest {

  private static final Path README = Path.of("README.md");
  private static final Path DOCS = Path.of("docs");
  private static final Path COMMANDS = DOCS.resolve("commands.md");
  private static final Path CONFIGURATION = DOCS.resolve("configuration.md");
  private static final Path HEALTH_CHECKS = DOCS.resolve("health-checks.md");
  private static final List<String> PASS_THROUGH =
      List.of(ConfigKeys.KAFKA, ConfigKeys.SERDE, ConfigKeys.OVERRIDES);

  private static final Pattern COMMAND_HEADING =
      Pattern.compile("^### (kfm(?: [a-z][a-z-]*(?:\\|[a-z][a-z-]*)*)*)\\s*$");
  private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
  private static final Pattern OPTION = Pattern.compile("-{1,2}[A-Za-z0-9][A-Za-z0-9-]*");
  private static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");
  private static final Pattern LINK =
      Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`\n]*`");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

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

  @Test
  void shouldDocumentOnlySettingsTheConfigurationLoaderKnows() {
    // Given the settings tables of docs/configuration.md and docs/health-checks.md
    List<SettingRow> rows = new ArrayList<>(settingRows(CONFIGURATION));
    rows.addAll(settingRows(HEALTH_CHECKS));

    // When each documented key is looked up in the loader's defaults and pass-through prefixes
    List<String> unknown =
        rows.stream().filter(r -> !isKnownKey(r.key())).map(SettingRow::where).toList();

    // Then each is a setting
    assertThat(rows).as("settings rows").isNotEmpty();
    assertThat(unknown).as("documented keys that ConfigLoader does not know").isEmpty();
  }

  @Test
  void shouldDocumentEverySettingOfTheConfigurationLoader() {
    // Given the keys documented in docs/configuration.md
    Set<String> documented = new TreeSet<>();
    settingRows(CONFIGURATION).forEach(r -> documented.add(r.key()));

    // When the loader's keys and pass-through prefixes are looked for there
    List<String> missing = new ArrayList<>();
    ConfigKeys.DEFAULTS.keySet().stream()
        .sorted()
        .filter(k -> !documented.contains(k))
        .forEach(missing::add);
    PASS_THROUGH.stream()
        .filter(p -> documented.stream().noneMatch(d -> d.startsWith(p)))
        .forEach(p -> missing.add(p + "*"));

    // Then none is missing
    assertThat(missing)
        .as("settings of ConfigLoader not documented in %s", CONFIGURATION)
        .isEmpty();
  }

  @Test
  void shouldStateEachSettingsDefaultAndEnvironmentVariableAsTheLoaderHasThem() {
    // Given the documented rows of keys the loader has defaults for
    List<SettingRow> rows = new ArrayList<>(settingRows(CONFIGURATION));
    rows.addAll(settingRows(HEALTH_CHECKS));

    // When their default and environment variable cells are compared with the loader
    List<String> wrong = new ArrayList<>();
    for (SettingRow row : rows) {
      String value = ConfigKeys.DEFAULTS.get(row.key());
      if (value == null) {
        continue;
      }
      if (!value.isEmpty()
          && row.defaultCell() != null
          && !row.defaultCell().contains("`" + value + "`")) {
        wrong.add(
            row.where() + ": default should be `" + value + "`, is " + row.defaultCell().trim());
      }
      String env = ConfigLoader.envName(row.key());
      if (row.envCell() != null && !row.envCell().contains("`" + env + "`")) {
        wrong.add(
            row.where()
                + ": environment variable should be `"
                + env
                + "`, is "
                + row.envCell().trim());
      }
    }

    // Then they agree
    assertThat(wrong)
        .as("defaults and environment variables that disagree with ConfigLoader")
        .isEmpty();
  }

  @Test
  void shouldResolveEveryRelativeLinkOfTheReadmeAndTheDocs() throws IOException {
    // Given README.md and every page of docs/
    List<Path> pages = new ArrayList<>(List.of(README));
    try (Stream<Path> docs = Files.list(DOCS)) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }

    // When each relative link is resolved (the file, and the heading for #anchors into Markdown)
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      for (String target : relativeLinks(read(page))) {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved =
            file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(page + ": " + target + " (no such file)");
        } else if (anchor != null
            && resolved.toString().endsWith(".md")
            && !anchors(read(resolved)).contains(anchor)) {
          broken.add(page + ": " + target + " (no such heading)");
        }
      }
    }

    // Then every one resolves
    assertThat(pages).hasSizeGreaterThan(1);
    assertThat(broken).as("broken relative links").isEmpty();
  }

  @Test
  void shouldKeepTheReadmeADoorToTheCommandsSettingsAndTopology() {
    // Given the README
    String readme = read(README);

    // Then it shows the two commands a newcomer needs and links the pages holding everything else
    assertThat(readme)
        .contains("./kfm dev --demo", "./mvnw -B verify")
        .contains("](docs/commands.md", "](docs/configuration.md", "](docs/topology.md");
  }

  // ---- the command line

  /** Every command of {@code kfm}, by qualified name ("kfm topics diff"). */
  private static Map<String, CommandSpec> cliCommands() {
    Map<String, CommandSpec> commands = new LinkedHashMap<>();
    collect(KfmCommand.commandLine(), commands);
    return commands;
  }

  private static void collect(CommandLine cl, Map<String, CommandSpec> into) {
    into.put(cl.getCommandSpec().qualifiedName(" "), cl.getCommandSpec());
    cl.getSubcommands().values().forEach(sub -> collect(sub, into));
  }

  // ---- docs/commands.md

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

  // ---- settings tables

  /**
   * One documented key, with its row's default and environment variable cells (null without such a
   * column).
   */
  private record SettingRow(Path page, int line, String key, String defaultCell, String envCell) {
    String where() {
      return page + ":" + line + " `" + key + "`";
    }
  }

  private static List<SettingRow> settingRows(Path page) {
    List<SettingRow> rows = new ArrayList<>();
    List<String> header = null;
    int n = 0;
    for (String line : withoutFencedCode(read(page)).split("\n", -1)) {
      n++;
      if (!line.startsWith("|")) {
        header = null;
        continue;
      }
      List<String> cells = cells(line);
      if (header == null) {
        boolean settingsTable = !cells.isEmpty() && cells.get(0).trim().equalsIgnoreCase("key");
        header =
            settingsTable
                ? cells.stream().map(c -> c.trim().toLowerCase(Locale.ROOT)).toList()
                : List.of();
        continue;
      }
      if (header.isEmpty() || cells.get(0).trim().startsWith("---")) {
        continue;
      }
      String defaultCell = cell(cells, header.indexOf("default"));
      String envCell = cell(cells, header.indexOf("environment variable"));
      Matcher key = BACKTICKED.matcher(cells.get(0));
      while (key.find()) {
        rows.add(new SettingRow(page, n, key.group(1).trim(), defaultCell, envCell));
      }
    }
    return rows;
  }

  private static boolean isKnownKey(String key) {
    int wildcard = indexOfAny(key, "*<");
    if (wildcard >= 0) {
      String prefix = key.substring(0, wildcard);
      return PASS_THROUGH.stream().anyMatch(prefix::startsWith);
    }
    return ConfigKeys.DEFAULTS.containsKey(key) || PASS_THROUGH.stream().anyMatch(key::startsWith);
  }

  // ---- links and anchors

  private static List<String> relativeLinks(String markdown) {
    String text = INLINE_CODE.matcher(withoutFencedCode(markdown)).replaceAll("``");
    List<String> links = new ArrayList<>();
    Matcher m = LINK.matcher(text);
    while (m.find()) {
      String target = m.group(1);
      if (!SCHEME.matcher(target).find()) {
        links.add(target);
      }
    }
    return links;
  }

  /**
   * The anchors GitHub gives the headings of a page: lower case, punctuation dropped, spaces as
   * hyphens.
   */
  private static Set<String> anchors(String markdown) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new TreeMap<>();
    for (String line : withoutFencedCode(markdown).split("\n")) {
      if (!line.startsWith("#") || headingLevel(line) > 6) {
        continue;
      }
      String text = line.substring(headingLevel(line)).trim().toLowerCase(Locale.ROOT);
      String slug = text.replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
      int count = seen.merge(slug, 1, Integer::sum);
      anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
    }
    return anchors;
  }

  // ---- Markdown helpers

  private static String withoutFencedCode(String markdown) {
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

  private static int headingLevel(String line) {
    int level = 0;
    while (level < line.length() && line.charAt(level) == '#') {
      level++;
    }
    return level < line.length() && line.charAt(level) == ' ' ? level : Integer.MAX_VALUE;
  }

  /** The cells of a table row, without the outer pipes; {@code \|} stays inside a cell. */
  private static List<String> cells(String row) {
    String inner = row.trim();
    inner =
        inner.substring(
            1, inner.endsWith("|") && inner.length() > 1 ? inner.length() - 1 : inner.length());
    return List.of(CELL_SEPARATOR.split(inner, -1));
  }

  private static String firstCell(String row) {
    return cells(row).get(0);
  }

  private static String cell(List<String> cells, int index) {
    return index < 0 || index >= cells.size() ? null : cells.get(index);
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
