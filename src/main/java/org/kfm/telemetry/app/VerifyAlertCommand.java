package org.kfm.telemetry.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kfm.telemetry.contract.BoundedJsonParser;
import org.kfm.telemetry.contract.Ed25519Keys;
import org.kfm.telemetry.contract.Limits;
import org.kfm.telemetry.contract.PayloadSignatures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfm verify-alert}: checks the ed25519 signatures of wpe.alert payloads. */
@Command(
    name = "verify-alert",
    mixinStandardHelpOptions = true,
    description = {
      "Verify the signatures of wpe.alert payloads against a public key.",
      "A .json file holds one alert; any other file (and - for standard input) holds NDJSON, one alert per line.",
      "Prints one line per alert: OK or FAIL with the reason."
    },
    footer = {
      "",
      "Exit status: 0 every alert verifies, 1 some alert does not, 2 usage or I/O error."
    })
final class VerifyAlertCommand implements Callable<Integer> {

  private static final BoundedJsonParser PARSER = new BoundedJsonParser(Limits.DEFAULT);

  @Spec CommandSpec spec;

  @Option(
      names = "--public-key",
      required = true,
      paramLabel = "PEM",
      description = "The signer's ed25519 public key (PEM, X.509 -----BEGIN PUBLIC KEY-----).")
  Path publicKey;

  @Parameters(
      paramLabel = "FILE|-",
      arity = "0..*",
      description = "Alert files; none or - reads standard input.")
  List<String> files = List.of();

  @Override
  public Integer call() throws IOException {
    PublicKey key;
    try {
      key = Ed25519Keys.readPublicKey(publicKey);
    } catch (NoSuchFileException e) {
      throw new KfmCommand.UserException("--public-key " + publicKey + ": no such file");
    } catch (IOException e) {
      throw new KfmCommand.UserException("--public-key " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int failures = 0;
    int alerts = 0;
    for (String file : files.isEmpty() ? List.of("-") : files) {
      try {
        for (Alert alert : read(file)) {
          alerts++;
          PayloadSignatures.Result result =
              alert.payload() == null
                  ? new PayloadSignatures.Result(
                      PayloadSignatures.Status.MALFORMED, "not a JSON object")
                  : PayloadSignatures.verify(alert.payload(), key);
          if (result.isValid()) {
            out.println(alert.where() + ": OK");
          } else {
            failures++;
            out.println(alert.where() + ": FAIL " + result.reason());
          }
        }
      } catch (NoSuchFileException e) {
        err.println("kfm verify-alert: " + file + ": no such file");
        return KfmCommand.EXIT_USAGE;
      }
    }
    out.flush();
    err.println(
        "kfm verify-alert: "
            + alerts
            + " alert(s), "
            + (alerts - failures)
            + " verified, "
            + failures
            + " failed (key "
            + Ed25519Keys.keyId(key)
            + ")");
    return failures == 0 ? 0 : 1;
  }

  private record Alert(String where, ObjectNode payload) {}

  private static List<Alert> read(String file) throws IOException {
    if (!file.equals("-") && file.toLowerCase(Locale.ROOT).endsWith(".json")) {
      return List.of(new Alert(file, parse(Files.readAllBytes(Path.of(file)))));
    }
    InputStream in =
        file.equals("-")
            ? new FilterInputStream(System.in) {
              @Override
              public void close() {}
            }
            : Files.newInputStream(Path.of(file));
    List<Alert> alerts = new java.util.ArrayList<>();
    try (InputStream buffered = new BufferedInputStream(in)) {
      RecordReader reader = new RecordReader(buffered, Limits.DEFAULT.maxRecordBytes());
      RecordReader.Line line;
      while ((line = reader.next()) != null) {
        alerts.add(new Alert(file + ":" + line.number(), parse(line.bytes())));
      }
    }
    return alerts;
  }

  /**
   * Strict parsing: an alert with duplicate keys could mean one thing to us and another to its
   * signer.
   */
  private static ObjectNode parse(byte[] bytes) {
    return PARSER.parse(bytes).root();
  }
}
