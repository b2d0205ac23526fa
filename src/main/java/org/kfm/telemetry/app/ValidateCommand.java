package org.kfm.telemetry.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kfm.telemetry.contract.Ed25519Keys;
import org.kfm.telemetry.validation.Finding;
import org.kfm.telemetry.validation.TrustedKeys;
import org.kfm.telemetry.validation.Validator;
import org.kfm.telemetry.validation.ValidatorOptions;
import org.kfm.telemetry.validation.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfm validate}: checks files of telemetry records against contract v2, offline. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Validate telemetry records against contract v2 without Kafka (for producer teams' CI).",
      "A .json file holds one record; any other file (and - for standard input) is NDJSON: one record per "
          + "line, taken as raw bytes exactly as it would be sent to Kafka; blank lines are skipped.",
      "Writes one JSON line per record to standard output and a summary to standard error."
    },
    footer = {"", "Exit status: 0 all records valid, 1 some record invalid, 2 usage or I/O error."})
final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "FILE|-",
      arity = "1..*",
      description =
          "Files to validate: .json (one record) or NDJSON; - reads NDJSON from standard input.")
  List<String> files = new ArrayList<>();

  @Option(
      names = "--trusted-key",
      paramLabel = "PEM",
      description =
          "Public key (PEM, X.509) whose signatures must verify; repeatable. Its key id is "
              + "kfm-ed25519-<first 16 hex of SHA-256 of the raw key>.")
  List<Path> trustedKeys = new ArrayList<>();

  @Option(names = "--errors-only", description = "Print only records that are invalid.")
  boolean errorsOnly;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Threads that validate NDJSON records; the output stays in input order (default: the"
              + " machine's processors, ${DEFAULT-VALUE} here).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    KfmCommand.atLeast("--threads", threads, 1);
    Validator validator =
        new Validator(ValidatorOptions.defaults().withTrustedKeys(loadTrustedKeys()));
    Tally tally = new Tally();
    PrintWriter stdout = spec.commandLine().getOut();
    try (JsonGenerator out = new JsonFactory().createGenerator(stdout);
        OrderedValidation validation = new OrderedValidation(validator, threads)) {
      out.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      out.setRootValueSeparator(null);
      for (String file : files) {
        try {
          validateFile(file, validation, validator, out, tally);
        } catch (NoSuchFileException e) {
          err.println("kfm validate: " + file + ": no such file");
          tally.ioErrors++;
        } catch (java.nio.file.InvalidPathException e) {
          err.println(
              "kfm validate: "
                  + file
                  + ": cannot open a file of this name in this locale"
                  + " (set LANG/LC_ALL to a UTF-8 locale, e.g. C.UTF-8)");
          tally.ioErrors++;
        } catch (IOException e) {
          err.println("kfm validate: " + file + ": " + e.getMessage());
          tally.ioErrors++;
        }
      }
      out.flush();
    }
    stdout.flush();
    err.println(
        "kfm validate: "
            + tally.records
            + " record"
            + (tally.records == 1 ? "" : "s")
            + " in "
            + (files.size() - tally.ioErrors)
            + " file"
            + (files.size() - tally.ioErrors == 1 ? "" : "s")
            + ": "
            + tally.valid
            + " valid ("
            + tally.withWarnings
            + " with warnings), "
            + tally.invalid
            + " invalid"
            + (tally.ioErrors > 0 ? ", " + tally.ioErrors + " file(s) unreadable" : ""));
    err.flush();
    if (tally.records == 0 && tally.ioErrors == 0) {
      err.println("kfm validate: note: the input held no records");
    }
    if (tally.ioErrors > 0) {
      return KfmCommand.EXIT_USAGE;
    }
    return tally.invalid > 0 ? 1 : 0;
  }

  private TrustedKeys loadTrustedKeys() {
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    for (Path file : trustedKeys) {
      try {
        PublicKey key = Ed25519Keys.readPublicKey(file);
        keys.put(Ed25519Keys.keyId(key), key);
      } catch (NoSuchFileException e) {
        throw new KfmCommand.UserException("--trusted-key " + file + ": no such file");
      } catch (IOException e) {
        throw new KfmCommand.UserException("--trusted-key " + e.getMessage());
      }
    }
    return TrustedKeys.of(keys);
  }

  private void validateFile(
      String file,
      OrderedValidation validation,
      Validator validator,
      JsonGenerator out,
      Tally tally)
      throws IOException {
    int cap = validator.options().limits().maxRecordBytes();
    if (!file.equals("-") && file.toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
      Path path = Path.of(file);
      if (Files.isDirectory(path)) {
        throw new IOException("is a directory");
      }
      if (Files.size(path) > cap) {
        try (InputStream in = Files.newInputStream(path)) {
          report(file, 1, null, validator.validate(in.readNBytes(cap + 1)), out, tally);
        }
        return;
      }
      report(file, 1, null, validator.validate(Files.readAllBytes(path)), out, tally);
      return;
    }
    // Standard input is not ours to close: "validate - -" reads it once, then finds it empty.
    InputStream in =
        file.equals("-")
            ? new java.io.FilterInputStream(System.in) {
              @Override
              public void close() {}
            }
            : Files.newInputStream(Path.of(file));
    try (in) {
      int[] record = {0};
      validation.run(
          new RecordReader(in, cap),
          (line, verdict) -> report(file, ++record[0], line.number(), verdict, out, tally));
    }
  }

  private void report(
      String file, int record, Integer line, Verdict verdict, JsonGenerator out, Tally tally)
      throws IOException {
    tally.records++;
    if (verdict.valid()) {
      tally.valid++;
      if (!verdict.warnings().isEmpty()) {
        tally.withWarnings++;
      }
    } else {
      tally.invalid++;
    }
    if (errorsOnly && verdict.valid()) {
      return;
    }
    out.writeStartObject();
    out.writeStringField("file", file);
    out.writeNumberField("record", record);
    if (line != null) {
      out.writeNumberField("line", line);
    }
    out.writeBooleanField("valid", verdict.valid());
    out.writeStringField("kind", verdict.kind());
    writeFindings(out, "errors", verdict.errors());
    writeFindings(out, "warnings", verdict.warnings());
    out.writeEndObject();
    out.writeRaw('\n');
  }

  private static void writeFindings(JsonGenerator out, String name, List<Finding> findings)
      throws IOException {
    out.writeArrayFieldStart(name);
    for (Finding f : findings) {
      out.writeStartObject();
      out.writeStringField("rule", f.rule());
      out.writeStringField("path", f.path());
      out.writeStringField("message", f.message());
      out.writeEndObject();
    }
    out.writeEndArray();
  }

  private static final class Tally {
    int records;
    int valid;
    int withWarnings;
    int invalid;
    int ioErrors;
  }
}
