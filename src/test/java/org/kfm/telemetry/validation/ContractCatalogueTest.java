package org.kfm.telemetry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of the contract catalogue yields exactly the rule ids it expects. */
public class ContractCatalogueTest {

  /** The catalogue's fixed "now": validation results must not depend on the day the tests run. */
  public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  static Validator validator;
  static List<ContractCatalogue.Case> cases;

  @BeforeAll
  static void setUp() {
    validator = new Validator(TestKeys.options(Clock.fixed(NOW, ZoneOffset.UTC)));
    cases = ContractCatalogue.load();
  }

  static Stream<ContractCatalogue.Case> cases() {
    return ContractCatalogue.load().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldReportExactlyTheExpectedRuleIds(ContractCatalogue.Case c) {
    // Given a catalogue case / When it is validated
    Verdict verdict = validator.validate(c.value(), c.headers());

    // Then its distinct error and warning rule ids are exactly the expected ones
    assertThat(ids(verdict.errors()))
        .as("errors of %s: %s", c.id(), verdict.errors())
        .isEqualTo(c.errors());
    assertThat(ids(verdict.warnings()))
        .as("warnings of %s: %s", c.id(), verdict.warnings())
        .isEqualTo(c.warnings());
    assertThat(verdict.valid()).isEqualTo(c.errors().isEmpty());

    // And no message repeats a secret, and a record with secrets has none left once redacted
    for (Finding f : verdict.errors()) {
      assertThat(TextScanner.scanUnparsed(f.message()))
          .as("secrets in message %s", f.message())
          .noneMatch(hit -> hit.type().isSecret());
      assertThat(TextScanner.scan(f.path()))
          .as("secrets in path %s", f.path())
          .noneMatch(hit -> hit.type().isSecret());
    }
    if (verdict.secretFound()) {
      byte[] redacted = Redactor.redact(verdict, c.value());
      assertThat(validator.validate(redacted, c.headers()).secretFound())
          .as("secrets left after redaction")
          .isFalse();
    }
  }

  @Test
  void shouldHaveATriggeringCaseAndACloseMissForEveryRule() {
    Set<String> triggered = new TreeSet<>();
    Set<String> missed = new TreeSet<>();
    for (ContractCatalogue.Case c : cases) {
      (c.triggers() ? triggered : missed).add(c.rule());
    }
    Set<String> all =
        EnumSet.allOf(RuleId.class).stream()
            .map(RuleId::id)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(triggered).as("rules with a case that triggers them").containsAll(all);
    assertThat(missed).as("rules with a close case that does not trigger them").containsAll(all);
  }

  @Test
  void shouldNameOnlyRulesThatExist() {
    Set<String> all =
        EnumSet.allOf(RuleId.class).stream().map(RuleId::id).collect(Collectors.toSet());
    for (ContractCatalogue.Case c : cases) {
      assertThat(all).as("rule of case %s", c.id()).contains(c.rule());
      assertThat(all)
          .as("expected ids of case %s", c.id())
          .containsAll(c.errors())
          .containsAll(c.warnings());
    }
  }

  private static List<String> ids(List<Finding> findings) {
    return findings.stream()
        .map(Finding::rule)
        .collect(Collectors.toCollection(TreeSet::new))
        .stream()
        .toList();
  }
}
