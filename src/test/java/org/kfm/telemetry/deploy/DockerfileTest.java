package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.config.ConfigKeys;
import org.kfm.telemetry.deploy.Dockerfile.Instruction;
import org.kfm.telemetry.deploy.Dockerfile.Stage;

/**
 * The Dockerfile, without a Docker engine: a multi-stage build whose runtime stage runs the shaded
 * jar on a JRE 17+ as a numeric non-root user, with the paths the compose file and the Helm chart
 * rely on (jar, topics.yaml, config, state dir), and a build context (.dockerignore) that holds
 * what it copies.
 */
class DockerfileTest {

  private static final Dockerfile DOCKERFILE = Dockerfile.read(Path.of("Dockerfile"));
  private static final DockerIgnore IGNORE = DockerIgnore.read(Path.of(".dockerignore"));
  private static final String JAR = "/opt/kfm/kfm-telemetry-streams.jar";

  @Test
  void shouldBuildWithMavenInOneStageAndRunOnAJre17InAnother() {
    // Given the stages
    List<Stage> stages = DOCKERFILE.stages();

    // Then the jar is built by the Maven wrapper in a JDK stage and copied into a JRE 17+ runtime
    // (glibc: RocksDB's JNI library does not load on musl)
    assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
    Stage build = DOCKERFILE.stage("build");
    assertThat(build.base())
        .matches("(eclipse-temurin:17-jdk.*|maven:3\\.9.*-eclipse-temurin-17.*)");
    assertThat(build.all("RUN"))
        .anySatisfy(
            r ->
                assertThat(r.arguments())
                    .contains("--mount=type=cache,target=/root/.m2")
                    .endsWith("./mvnw -B -DskipTests package"));
    Matcher jre =
        Pattern.compile("eclipse-temurin:(\\d+)-jre(-[\\w.-]+)?")
            .matcher(DOCKERFILE.runtime().base());
    assertThat(jre.matches()).as("runtime base %s", DOCKERFILE.runtime().base()).isTrue();
    assertThat(Integer.parseInt(jre.group(1))).isGreaterThanOrEqualTo(17);
    assertThat(DOCKERFILE.runtime().base()).doesNotContain("alpine");
    assertThat(DOCKERFILE.runtime().all("COPY"))
        .anySatisfy(
            c ->
                assertThat(c.words())
                    .containsExactly(
                        "--from=build", "/build/target/kfm-telemetry-streams.jar", JAR));
  }

  @Test
  void shouldCopyThePomAndWrapperBeforeTheSourcesForLayerCaching() {
    // Given the build stage's COPY and RUN instructions in order
    List<Instruction> steps =
        DOCKERFILE.stage("build").instructions().stream()
            .filter(i -> i.keyword().equals("COPY") || i.keyword().equals("RUN"))
            .toList();

    // Then the dependencies are fetched before any source is copied
    int fetch =
        indexOf(
            steps,
            i -> i.keyword().equals("RUN") && i.arguments().contains("dependency:go-offline"));
    int sources =
        indexOf(steps, i -> i.keyword().equals("COPY") && i.arguments().startsWith("src/main"));
    int pom = indexOf(steps, i -> i.keyword().equals("COPY") && i.words().contains("pom.xml"));
    assertThat(pom).isLessThan(fetch);
    assertThat(fetch).isLessThan(sources);
  }

  @Test
  void shouldRunAsANumericNonRootUser() {
    // Given the user the runtime stage ends with
    String user = DOCKERFILE.runtime().last("USER").orElseThrow().arguments().trim();

    // Then it is numeric (Kubernetes' runAsNonRoot can check it) and not root
    assertThat(user).isEqualTo("10001:10001");
  }

  @Test
  void shouldRunTheJarWithTheServiceAsDefaultCommand() {
    // Given the runtime stage's entrypoint and command
    Stage runtime = DOCKERFILE.runtime();

    // Then the entrypoint runs the jar (any kfm command can be given), and the default command is
    // the service
    assertThat(runtime.last("ENTRYPOINT").orElseThrow().execForm())
        .containsExactly("java", "-jar", JAR);
    assertThat(runtime.last("CMD").orElseThrow().execForm())
        .containsExactly("run", "--config", "/etc/kfm/kfm.yaml");
    assertThat(runtime.last("WORKDIR").orElseThrow().arguments()).isEqualTo("/opt/kfm");
  }

  @Test
  void shouldSizeTheHeapFromTheContainersMemory() {
    // Given the JVM options of the runtime stage
    String env =
        String.join(
            " ", DOCKERFILE.runtime().all("ENV").stream().map(Instruction::arguments).toList());

    // Then the java launcher picks them up, sized relative to the container's memory, never fixed
    assertThat(env)
        .contains("JDK_JAVA_OPTIONS=")
        .containsPattern("-XX:MaxRAMPercentage=\\d+")
        .contains("-XX:+ExitOnOutOfMemoryError")
        .contains("-XX:+UseParallelGC")
        .doesNotContain("-Xmx");
  }

  @Test
  void shouldExposeTheServicesHttpPort() {
    // Then the port of the ops endpoints (http.port's default) is exposed
    assertThat(DOCKERFILE.runtime().last("EXPOSE").orElseThrow().arguments())
        .isEqualTo(ConfigKeys.DEFAULTS.get("http.port"));
  }

  @Test
  void shouldDeclareTheWritablePathsOfAReadOnlyRootFileSystem() {
    // Given the volumes and the directories created for the kfm user
    String volumes = DOCKERFILE.runtime().last("VOLUME").orElseThrow().arguments();
    String setup =
        String.join(
            " ", DOCKERFILE.runtime().all("RUN").stream().map(Instruction::arguments).toList());

    // Then the state dir and /tmp (RocksDB's native library) are volumes, and the state and key
    // directories belong to uid 10001, so new named volumes mounted there do too
    assertThat(volumes).contains("\"/var/lib/kfm/state\"", "\"/tmp\"");
    assertThat(setup)
        .contains("--uid 10001", "--gid 10001")
        .containsPattern("chown 10001:10001 [^&]*/var/lib/kfm/state")
        .containsPattern("chown 10001:10001 [^&]*/etc/kfm/keys");
  }

  @Test
  void shouldCopyTopicsYamlWhereTheTopicsJobReadsIt() {
    // Then topics.yaml is in the image at the path the compose topics job (and the Helm hook) pass
    // to --file
    assertThat(DOCKERFILE.runtime().all("COPY"))
        .anySatisfy(
            c -> assertThat(c.words()).containsExactly("topics.yaml", "/opt/kfm/topics.yaml"));
    assertThat(
            ComposeFile.option(ComposeFile.read(ComposeFile.COMPOSE).command("topics"), "--file"))
        .isEqualTo("/opt/kfm/topics.yaml");
  }

  @Test
  void shouldCopyOnlyPathsThatExistAndAreInTheBuildContext() {
    // Given every source the Dockerfile copies from the build context
    List<String> sources = contextSources();
    assertThat(sources).isNotEmpty();

    // Then each exists in the repository and .dockerignore keeps it in the context
    for (String source : sources) {
      assertThat(Path.of(source)).as("COPY source %s", source).exists();
      assertThat(IGNORE.excludes(source)).as("%s excluded by .dockerignore", source).isFalse();
    }
  }

  @Test
  void shouldCopyEverythingTheMavenBuildReads() throws IOException {
    // Given what the build reads: the wrapper, the POM, the main sources and every file or
    // directory the POM takes from the project's base directory (contract schemas, Avro schemas,
    // topics.yaml)
    String pom = Files.readString(Path.of("pom.xml"));
    Set<String> read = new TreeSet<>(List.of("pom.xml", "mvnw", ".mvn", "src/main"));
    Matcher dirs = Pattern.compile("\\$\\{project\\.basedir}/([\\w./-]+)").matcher(pom);
    while (dirs.find()) {
      read.add(dirs.group(1));
    }
    Matcher baseResource =
        Pattern.compile(
                "<directory>\\$\\{project\\.basedir}</directory>(.*?)</resource>", Pattern.DOTALL)
            .matcher(pom);
    while (baseResource.find()) {
      Matcher include =
          Pattern.compile("<include>([^<]+)</include>").matcher(baseResource.group(1));
      while (include.find()) {
        read.add(include.group(1));
      }
    }
    assertThat(read).contains("contracts", "avro", "topics.yaml");

    // Then the build stage copies each of them
    List<String> copied = new ArrayList<>();
    DOCKERFILE.stage("build").all("COPY").forEach(c -> copied.addAll(sourcesOf(c)));
    for (String path : read) {
      assertThat(copied).as("the build stage copies %s", path).contains(path);
    }
  }

  @Test
  void shouldKeepBuildOutputAndGitOutOfTheContext() {
    // Then the context leaves out what the build makes or does not need
    assertThat(IGNORE.excludes("target/kfm-telemetry-streams.jar")).isTrue();
    assertThat(IGNORE.excludes(".git/HEAD")).isTrue();
    assertThat(IGNORE.excludes("src/test/java/org/kfm/telemetry/ArchitectureTest.java")).isTrue();
    assertThat(IGNORE.excludes("src/main/java/org/kfm/telemetry/app/Main.java")).isFalse();
  }

  @Test
  void shouldMatchDockerignorePatternsAsDockerDoes() {
    // Given rules with a directory, a glob, a ** glob and an exception
    DockerIgnore ignore =
        DockerIgnore.parse(List.of("/docs/", "*.md", "**/*.tmp", "!README.md", "# comment"));

    // Then a directory excludes what is below it, * stays in one segment, ** spans segments, !
    // re-includes
    assertThat(ignore.excludes("docs/contract.md")).isTrue();
    assertThat(ignore.excludes("CHANGES.md")).isTrue();
    assertThat(ignore.excludes("src/main/notes.md")).isFalse();
    assertThat(ignore.excludes("a/b/c.tmp")).isTrue();
    assertThat(ignore.excludes("README.md")).isFalse();
    assertThat(ignore.excludes("docsx/a")).isFalse();
  }

  @Test
  void shouldLabelTheImageWithOciAnnotations() {
    // Given the labels of the runtime stage
    String labels =
        String.join(
            " ", DOCKERFILE.runtime().all("LABEL").stream().map(Instruction::arguments).toList());

    // Then they carry the standard OCI annotations
    assertThat(labels)
        .contains(
            "org.opencontainers.image.title=",
            "org.opencontainers.image.description=",
            "org.opencontainers.image.version=",
            "org.opencontainers.image.revision=");
  }

  /** The sources of every COPY/ADD that reads the build context (not another stage). */
  private static List<String> contextSources() {
    List<String> sources = new ArrayList<>();
    for (Stage stage : DOCKERFILE.stages()) {
      for (Instruction i : stage.instructions()) {
        if ((i.keyword().equals("COPY") || i.keyword().equals("ADD"))
            && i.words().stream().noneMatch(w -> w.startsWith("--from="))) {
          sources.addAll(sourcesOf(i));
        }
      }
    }
    return sources;
  }

  /**
   * The source paths of a COPY (all words but flags and the destination), without trailing slashes.
   */
  private static List<String> sourcesOf(Instruction copy) {
    List<String> words = copy.words().stream().filter(w -> !w.startsWith("--")).toList();
    return words.subList(0, words.size() - 1).stream().map(w -> w.replaceAll("/+$", "")).toList();
  }

  private static int indexOf(List<Instruction> steps, Predicate<Instruction> test) {
    for (int i = 0; i < steps.size(); i++) {
      if (test.test(steps.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such step");
  }
}
