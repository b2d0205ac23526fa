package org.kfm.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.DocsPages.DOCS;
import static org.kfm.telemetry.DocsPages.headingLevel;
import static org.kfm.telemetry.DocsPages.read;
import static org.kfm.telemetry.DocsPages.withoutFencedCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md and docs/ as a reader follows them: every relative link resolves to a file, and every
 * {@code #anchor} into a Markdown page to one of its headings; the README links the pages that hold
 * the commands, the settings and the topology.
 */
class DocsLinksTest {

  private static final Path README = Path.of("README.md");
  private static final Pattern LINK =
      Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`\n]*`");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

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
}
