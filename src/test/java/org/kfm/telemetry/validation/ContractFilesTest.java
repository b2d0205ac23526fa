package org.kfm.telemetry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The published contract files and docs stay in step with the code. */
class ContractFilesTest {

  @Test
  void shouldHaveOneSchemaFilePerKnownKind() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("contracts/telemetry/v2/kinds"))) {
      Set<String> kinds =
          files
              .map(p -> p.getFileName().toString().replace(".schema.json", ""))
              .collect(Collectors.toSet());
      assertThat(kinds).isEqualTo(SchemaContract.KNOWN_KINDS);
    }
  }

  @Test
  void shouldDocumentEveryRuleWithItsSeverity() throws IOException {
    String doc = Files.readString(Path.of("docs/contract.md"));
    for (RuleId rule : EnumSet.allOf(RuleId.class)) {
      assertThat(doc).contains("| `" + rule.id() + "` | " + rule.severity().word() + " |");
    }
  }
}
