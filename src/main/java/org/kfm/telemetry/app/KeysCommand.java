package org.kfm.telemetry.app;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kfm keys}: ed25519 keys for signing and verifying {@code wpe.alert} payloads. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manage the ed25519 keys that sign wpe.alert payloads.",
    subcommands = {KeysCommand.Generate.class})
final class KeysCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code kfm keys generate --out DIR}. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Generate an ed25519 key pair: <name>.key (PKCS#8 PEM, private, mode 600) and <name>.pub "
            + "(X.509 PEM) in DIR, and print the key id (kfm-ed25519- + first 16 hex of SHA-256 of the raw public key)."
      })
  static final class Generate implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Directory for the key files (created if missing).")
    Path out;

    @Option(
        names = "--name",
        defaultValue = "alert-signing",
        paramLabel = "NAME",
        description = "Base name of the files (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() throws IOException {
      KeyFiles keys;
      try {
        keys = KeyFiles.generate(out, name);
      } catch (FileAlreadyExistsException e) {
        throw new KfmCommand.UserException(
            e.getFile() + " already exists; choose another --out or --name");
      }
      var stdout = spec.commandLine().getOut();
      stdout.println("key id:      " + keys.keyId());
      stdout.println("private key: " + keys.privateKey() + " (keep it secret)");
      stdout.println("public key:  " + keys.publicKey());
      stdout.flush();
      return 0;
    }
  }
}
