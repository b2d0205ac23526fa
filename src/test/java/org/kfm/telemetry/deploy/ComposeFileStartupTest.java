package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.deploy.ComposeFile.COMPOSE;
import static org.kfm.telemetry.deploy.ComposeFile.DEMO;
import static org.kfm.telemetry.deploy.ComposeFile.KAFKA;
import static org.kfm.telemetry.deploy.ComposeFile.KEYS_JOB;
import static org.kfm.telemetry.deploy.ComposeFile.REGISTRY;
import static org.kfm.telemetry.deploy.ComposeFile.SERVICE;
import static org.kfm.telemetry.deploy.ComposeFile.TOPICS_JOB;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml's start-up: each service starts after what it needs, everything waited for has
 * a health check or runs once, and the demo starts only in its profile.
 */
class ComposeFileStartupTest {

  private final ComposeFile compose = ComposeFile.read(COMPOSE);

  @Test
  void shouldStartEachServiceAfterWhatItNeeds() {
    // Then: the registry and the topics job after a healthy broker; the service after the topics
    // exist, the key exists and the registry answers; the demo after the service is ready
    assertThat(compose.dependsOn(REGISTRY)).containsExactly(Map.entry(KAFKA, "service_healthy"));
    assertThat(compose.dependsOn(TOPICS_JOB)).containsExactly(Map.entry(KAFKA, "service_healthy"));
    assertThat(compose.dependsOn(KEYS_JOB)).isEmpty();
    assertThat(compose.dependsOn(SERVICE))
        .containsOnly(
            Map.entry(TOPICS_JOB, "service_completed_successfully"),
            Map.entry(KEYS_JOB, "service_completed_successfully"),
            Map.entry(REGISTRY, "service_healthy"));
    assertThat(compose.dependsOn(DEMO)).containsExactly(Map.entry(SERVICE, "service_healthy"));
  }

  @Test
  void shouldHealthCheckEveryServiceThatOthersWaitFor() {
    // Given every dependency with its condition
    for (String name : compose.serviceNames()) {
      compose
          .dependsOn(name)
          .forEach(
              (dependency, condition) -> {
                // Then a healthy-condition has a health check to wait for, and a
                // completed-condition is a
                // one-shot job
                if (condition.equals("service_healthy")) {
                  assertThat(compose.healthcheck(dependency))
                      .as("health check of %s", dependency)
                      .isNotBlank();
                } else if (condition.equals("service_completed_successfully")) {
                  assertThat(compose.service(dependency).path("restart").asText())
                      .as("restart of %s", dependency)
                      .isEqualTo("no");
                }
              });
    }
    assertThat(List.of(KAFKA, REGISTRY, SERVICE))
        .allSatisfy(s -> assertThat(compose.healthcheck(s)).startsWith("CMD"));
  }

  @Test
  void shouldRunTheDemoOnlyInTheDemoProfile() {
    // Then the demo job is in the demo profile, and everything else starts with a plain docker
    // compose up
    assertThat(compose.strings(DEMO, "profiles")).containsExactly("demo");
    compose.serviceNames().stream()
        .filter(s -> !s.equals(DEMO))
        .forEach(
            s -> assertThat(compose.service(s).has("profiles")).as("profiles of %s", s).isFalse());
  }
}
