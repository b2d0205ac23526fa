package org.kfm.telemetry.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.Callable;
import org.kfm.telemetry.contract.Ed25519Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kfm keys}: ed25519 keys for signing and verifying {@code wpe.alert} payloads. */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Manage the ed25519 keys that sign wpe.alert payloads.",
    subcommands = {KeysCommand.Generate.class})
final class KeysCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code kfm keys generate --out DIR}. */
  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = {"Generate an ed25519 key pair: <name>.key (PKCS#8 PEM, private, mode 600) and <name>.pub "
          + "(X.509 PEM) in DIR, and print the key id (kfm-ed25519- + first 16 hex of SHA-256 of the raw public key)."})
  static final class Generate implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the key files (created if missing).")
    Path out;

    @Option(names = "--name", defaultValue = "alert-signing", paramLabel = "NAME",
        description = "Base name of the files (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() throws IOException {
      KeyFiles keys;
      try {
        keys = generate(out, name);
      } catch (FileAlreadyExistsException e) {
        throw new KfmCommand.UserException(e.getFile() + " already exists; choose another --out or --name");
      }
      var stdout = spec.commandLine().getOut();
      stdout.println("key id:      " + keys.keyId());
      stdout.println("private key: " + keys.privateKey() + " (keep it secret)");
      stdout.println("public key:  " + keys.publicKey());
      stdout.flush();
      return 0;
    }

    /**
     * Writes a new ed25519 pair as {@code dir/name.key} (PKCS#8 PEM, mode 600) and {@code dir/name.pub}.
     *
     * @throws FileAlreadyExistsException when either file exists
     */
    static KeyFiles generate(Path dir, String name) throws IOException {
      KeyPair pair;
      try {
        pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("this JDK has no Ed25519", e);
      }
      Files.createDirectories(dir);
      Path privateFile = dir.resolve(name + ".key");
      Path publicFile = dir.resolve(name + ".pub");
      write(privateFile, Ed25519Keys.toPem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
      write(publicFile, Ed25519Keys.toPem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
      return new KeyFiles(Ed25519Keys.keyId(pair.getPublic()), privateFile, publicFile);
    }

    private static void write(Path file, String pem, boolean secret) throws IOException {
      Files.writeString(file, pem, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      if (secret) {
        try {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the file keeps the platform's default permissions
        }
      }
    }
  }

  /** The files of a generated key pair and its key id. */
  record KeyFiles(String keyId, Path privateKey, Path publicKey) {
  }
}
