package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kfm.telemetry.deploy.ComposeFile.COMPOSE;
import static org.kfm.telemetry.deploy.ComposeFile.DEMO;
import static org.kfm.telemetry.deploy.ComposeFile.KAFKA;
import static org.kfm.telemetry.deploy.ComposeFile.KEYS_JOB;
import static org.kfm.telemetry.deploy.ComposeFile.OUR_IMAGE;
import static org.kfm.telemetry.deploy.ComposeFile.SERVICE;
import static org.kfm.telemetry.deploy.ComposeFile.SERVICE_CONFIG;
import static org.kfm.telemetry.deploy.ComposeFile.TOPICS_JOB;
import static org.kfm.telemetry.deploy.ComposeFile.option;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.app.KfmCommand;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The images docker-compose.yml runs: pinned versions, the broker the service is built and tested
 * with, our image built once from the Dockerfile and run hardened, with the config where the image
 * reads it and only command lines {@code kfm} accepts.
 */
class ComposeFileImagesTest {

  private final ComposeFile compose = ComposeFile.read(COMPOSE);

  @Test
  void shouldPinEveryImageToAVersion() {
    // Then every image names a tag, and none is "latest"
    for (String name : compose.serviceNames()) {
      String image = compose.service(name).path("image").asText();
      assertThat(image)
          .as("image of %s", name)
          .matches("[^:]+:[\\w][\\w.-]*")
          .doesNotEndWith(":latest");
    }
  }

  @Test
  void shouldRunTheKafkaVersionTheServiceIsBuiltAndTestedWith() throws IOException {
    // Given the Kafka version of the POM (clients, Streams, and the in-process broker of the tests)
    Matcher m =
        Pattern.compile("<kafka.version>([^<]+)</kafka.version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(m.find()).isTrue();

    // Then the broker image is that release
    assertThat(compose.service(KAFKA).path("image").asText())
        .isEqualTo("apache/kafka:" + m.group(1));
  }

  @Test
  void shouldGiveTheBrokerAValidClusterId() {
    // Given the CLUSTER_ID the apache/kafka image formats its storage with
    String id = compose.environment(KAFKA).get("CLUSTER_ID");

    // Then Kafka accepts it
    assertThatCode(() -> Uuid.fromString(id)).doesNotThrowAnyException();
  }

  @Test
  void shouldBuildOurImageOnceFromTheRepositoryDockerfile() {
    // Then the service builds the image from the repository root, and the jobs use that image
    assertThat(compose.service(SERVICE).path("build").asText()).isEqualTo(".");
    assertThat(compose.service(SERVICE).path("image").asText()).isEqualTo(OUR_IMAGE);
    for (String job : List.of(TOPICS_JOB, KEYS_JOB, DEMO)) {
      assertThat(compose.service(job).path("image").asText())
          .as("image of %s", job)
          .isEqualTo(OUR_IMAGE);
      assertThat(compose.service(job).has("build")).as("%s builds nothing itself", job).isFalse();
    }
  }

  @Test
  void shouldRunOurImageReadOnlyAsNonRootWithoutPrivileges() {
    // Given every service that runs our image
    List<String> ours =
        compose.serviceNames().stream()
            .filter(s -> compose.service(s).path("image").asText().equals(OUR_IMAGE))
            .toList();
    assertThat(ours).containsExactlyInAnyOrder(TOPICS_JOB, KEYS_JOB, SERVICE, DEMO);

    // Then each runs with a read-only root file system, as uid/gid 10001, no capabilities, no
    // privilege escalation, and a /tmp that RocksDB can load its native library from (tmpfs is
    // noexec by default)
    for (String s : ours) {
      JsonNode service = compose.service(s);
      assertThat(service.path("read_only").asBoolean()).as("read_only of %s", s).isTrue();
      assertThat(service.path("user").asText()).as("user of %s", s).isEqualTo("10001:10001");
      assertThat(compose.strings(s, "cap_drop")).as("cap_drop of %s", s).contains("ALL");
      assertThat(compose.strings(s, "security_opt"))
          .as("security_opt of %s", s)
          .contains("no-new-privileges:true");
      assertThat(compose.strings(s, "tmpfs"))
          .as("tmpfs of %s", s)
          .anySatisfy(
              t -> assertThat(t).startsWith("/tmp:").contains("exec").doesNotContain("noexec"));
    }
  }

  @Test
  void shouldMountTheServiceConfigWhereTheImageReadsIt() {
    // Given the --config of the image's default command (the service sets no command of its own)
    Dockerfile dockerfile = Dockerfile.read(Path.of("Dockerfile"));
    List<String> cmd = dockerfile.runtime().last("CMD").orElseThrow().execForm();
    assertThat(compose.service(SERVICE).has("command")).isFalse();

    // Then the compose service config is mounted there, read-only
    assertThat(compose.mounts(SERVICE))
        .contains(new ComposeFile.Mount("./" + SERVICE_CONFIG, option(cmd, "--config"), true));
  }

  @Test
  void shouldGiveOurImageOnlyCommandLinesKfmAccepts() {
    // Given the arguments each service passes to kfm (the image's CMD for the service itself)
    Map<String, List<String>> commands = new LinkedHashMap<>();
    commands.put(
        SERVICE,
        Dockerfile.read(Path.of("Dockerfile")).runtime().last("CMD").orElseThrow().execForm());
    commands.put(TOPICS_JOB, compose.command(TOPICS_JOB));
    commands.put(KEYS_JOB, compose.keysJobJavaArgs().subList(3, compose.keysJobJavaArgs().size()));
    commands.put(DEMO, compose.command(DEMO));

    // When kfm's own command line parses them (nothing runs)
    commands.forEach(
        (service, args) -> {
          ParseResult parsed = KfmCommand.commandLine().parseArgs(args.toArray(String[]::new));

          // Then each is a known command with known options
          assertThat(parsed.subcommand()).as("%s: %s", service, args).isNotNull();
          assertThat(parsed.unmatched()).as("%s: %s", service, args).isEmpty();
        });
    assertThat(commands.get(DEMO)).contains("--demo");
  }

  @Test
  void shouldRejectAnUnknownOptionWhenParsingACommandLine() {
    // Given a command line with an option kfm does not have (the check above has teeth)
    String[] args = {
      "topics", "apply", "--bootstrap-server", "kafka:9092", "--replication-factr", "1"
    };

    // When / Then parsing it fails
    assertThatThrownBy(() -> KfmCommand.commandLine().parseArgs(args))
        .isInstanceOf(CommandLine.ParameterException.class);
  }
}
