package org.kfm.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.DocsPages.BACKTICKED;
import static org.kfm.telemetry.DocsPages.DOCS;
import static org.kfm.telemetry.DocsPages.cell;
import static org.kfm.telemetry.DocsPages.cells;
import static org.kfm.telemetry.DocsPages.read;
import static org.kfm.telemetry.DocsPages.withoutFencedCode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.config.ConfigKeys;
import org.kfm.telemetry.config.ConfigLoader;

/**
 * The settings tables of docs/configuration.md and docs/health-checks.md against {@link
 * ConfigKeys}, both ways: every documented key is a setting, every setting is documented, with the
 * loader's default and environment variable.
 *
 * <p>The conventions it relies on: a settings table is a table whose first header cell is {@code
 * key}; each row's first cell names its key(s) in backticks, a pass-through family as {@code
 * `kafka.*`} or {@code `health.slo.overrides.<pipeline>.trace-pct`}; a {@code default} column holds
 * the default in backticks, an {@code environment variable} column the variable.
 */
class DocsSettingsTest {

  private static final Path CONFIGURATION = DOCS.resolve("configuration.md");
  private static final Path HEALTH_CHECKS = DOCS.resolve("health-checks.md");
  private static final List<String> PASS_THROUGH =
      List.of(ConfigKeys.KAFKA, ConfigKeys.SERDE, ConfigKeys.OVERRIDES);

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

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
