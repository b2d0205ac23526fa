package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.contract.Ed25519Keys;
import org.kfm.telemetry.contract.PayloadSignatures;

/** kfm keys generate and kfm verify-alert, end to end on real files. */
class AlertKeysCommandsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  private final Cli cli = new Cli();

  private ObjectNode signedAlert(Path keys) throws IOException {
    ObjectNode alert =
        (ObjectNode)
            MAPPER.readTree(
                AlertKeysCommandsTest.class.getResourceAsStream("/seed-examples/wpe-alert.json"));
    alert
        .putObject("correlation")
        .put("correlation_id", "alert-ci.daily.healthcheck-KFM-TELEM-ENERGY-001");
    PrivateKey key = Ed25519Keys.readPrivateKey(keys.resolve("alert-signing.key"));
    PublicKey pub = Ed25519Keys.readPublicKey(keys.resolve("alert-signing.pub"));
    PayloadSignatures.sign(alert, key, Ed25519Keys.keyId(pub));
    return alert;
  }

  @Test
  void shouldGenerateAKeyPairWhoseIdIsDerivedFromThePublicKey() throws IOException {
    int exit = cli.run("keys", "generate", "--out", dir.toString());

    assertThat(exit).isZero();
    PublicKey pub = Ed25519Keys.readPublicKey(dir.resolve("alert-signing.pub"));
    assertThat(cli.out.toString()).contains("key id:      " + Ed25519Keys.keyId(pub));
    assertThat(Ed25519Keys.keyId(pub)).matches("kfm-ed25519-[0-9a-f]{16}");
    assertThat(Files.getPosixFilePermissions(dir.resolve("alert-signing.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(cli.run("keys", "generate", "--out", dir.toString()))
        .as("never overwrites a key")
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("already exists");
  }

  @Test
  void shouldVerifySignedAlertsAndRejectTamperedOnesWithTheReason() throws IOException {
    cli.run("keys", "generate", "--out", dir.toString());
    ObjectNode good = signedAlert(dir);
    ObjectNode tampered = good.deepCopy();
    ((ObjectNode) tampered.get("metrics")).put("energy_report_coverage_pct", 95.0);
    Path alerts = dir.resolve("alerts.ndjson");
    Files.writeString(
        alerts,
        MAPPER.writeValueAsString(good) + "\n" + MAPPER.writeValueAsString(tampered) + "\n");
    Path goodFile = dir.resolve("good.json");
    Files.writeString(goodFile, good.toPrettyString());

    assertThat(
            cli.run(
                "verify-alert",
                "--public-key",
                dir.resolve("alert-signing.pub").toString(),
                goodFile.toString()))
        .isZero();
    assertThat(
            cli.run(
                "verify-alert",
                "--public-key",
                dir.resolve("alert-signing.pub").toString(),
                alerts.toString()))
        .isEqualTo(1);
    assertThat(cli.out.toString())
        .contains(alerts + ":1: OK")
        .contains(alerts + ":2: FAIL signature does not verify");
  }

  @Test
  void shouldSayWhichKeySignedWhenItIsAnother() throws IOException {
    cli.run("keys", "generate", "--out", dir.toString());
    cli.run("keys", "generate", "--out", dir.toString(), "--name", "other");
    Path file = dir.resolve("a.json");
    Files.writeString(file, signedAlert(dir).toString());

    int exit =
        cli.run(
            "verify-alert", "--public-key", dir.resolve("other.pub").toString(), file.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(cli.out.toString()).contains("FAIL signed by key kfm-ed25519-");
  }

  @Test
  void shouldBeVerifiableWithNodeJsAndNoKfmCode() throws Exception {
    // Given node is on the machine (it is on the build machines; skipped elsewhere)
    assumeTrue(commandExists("node"), "node is not installed");
    cli.run("keys", "generate", "--out", dir.toString());
    Path alert = dir.resolve("alert.json");
    Files.writeString(alert, signedAlert(dir).toPrettyString());
    Path script = dir.resolve("verify.mjs");
    Files.writeString(
        script,
        new String(
            AlertKeysCommandsTest.class.getResourceAsStream("/verify-alert.mjs").readAllBytes(),
            StandardCharsets.UTF_8));

    // When node verifies it with its own crypto and JSON (the procedure of docs/deploy.md)
    Process p =
        new ProcessBuilder(
                "node",
                script.toString(),
                dir.resolve("alert-signing.pub").toString(),
                alert.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

    // Then it agrees
    assertThat(output).contains("OK");
    assertThat(p.exitValue()).as(output).isZero();
  }

  private static boolean commandExists(String command) {
    try {
      Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
