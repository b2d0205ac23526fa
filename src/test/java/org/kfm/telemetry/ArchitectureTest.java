package org.kfm.telemetry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package boundaries of STYLE.md, checked. */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.kfm.telemetry");

  @Test
  void shouldKeepTheServiceFreeOfTheDevelopmentStack() {
    // Only the command line reaches the development stack: it registers `kfm dev`, and `kfm produce
    // --demo` sends the demo traffic.
    noClasses()
        .that()
        .resideOutsideOfPackage("org.kfm.telemetry.dev..")
        .and()
        .doNotHaveFullyQualifiedName("org.kfm.telemetry.app.KfmCommand")
        .and()
        .doNotHaveFullyQualifiedName("org.kfm.telemetry.app.ProduceCommand")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.kfm.telemetry.dev..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepSerdeFreeOfServers() {
    noClasses()
        .that()
        .resideInAPackage("org.kfm.telemetry.serde..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.sun.net.httpserver..",
            "org.apache.kafka.clients.admin..",
            "org.apache.kafka.clients.consumer..",
            "org.apache.kafka.clients.producer..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepValidationAndContractFreeOfKafka() {
    noClasses()
        .that()
        .resideInAnyPackage("..validation..", "..contract..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepValidationAndContractFreeOfTheCommandLine() {
    noClasses()
        .that()
        .resideInAnyPackage("..validation..", "..contract..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.kfm.telemetry.app..", "picocli..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepTopologyAndRoutingFreeOfHttp() {
    noClasses()
        .that()
        .resideInAnyPackage("..topology..", "..routing..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.net.http..", "com.sun.net.httpserver..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepSerdeFreeOfTheOtherCapabilities() {
    noClasses()
        .that()
        .resideInAPackage("org.kfm.telemetry.serde..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.kfm.telemetry.app..",
            "org.kfm.telemetry.config..",
            "org.kfm.telemetry.contract..",
            "org.kfm.telemetry.validation..",
            "org.kfm.telemetry.topology..",
            "org.kfm.telemetry.routing..",
            "org.kfm.telemetry.health..",
            "org.kfm.telemetry.alerting..",
            "org.kfm.telemetry.ops..")
        .check(CLASSES);
  }

  @Test
  void shouldReadTheEnvironmentOnlyInApp() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.kfm.telemetry.app..")
        .should()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .check(CLASSES);
  }

  @Test
  void shouldKeepHealthAndAlertingFreeOfHttpAndTheCommandLine() {
    noClasses()
        .that()
        .resideInAnyPackage("..health..", "..alerting..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.net.http..",
            "com.sun.net.httpserver..",
            "org.kfm.telemetry.app..",
            "picocli..",
            "org.kfm.telemetry.topology..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepHealthFreeOfAlerting() {
    noClasses()
        .that()
        .resideInAPackage("org.kfm.telemetry.health..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.kfm.telemetry.alerting..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepOpsAndConfigFreeOfTheCommandLine() {
    noClasses()
        .that()
        .resideInAnyPackage("org.kfm.telemetry.ops..", "org.kfm.telemetry.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.kfm.telemetry.app..", "picocli..")
        .check(CLASSES);
  }

  @Test
  void shouldKeepConfigFreeOfHttpAndOps() {
    noClasses()
        .that()
        .resideInAPackage("org.kfm.telemetry.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.kfm.telemetry.ops..", "java.net.http..", "com.sun.net.httpserver..")
        .check(CLASSES);
  }
}
