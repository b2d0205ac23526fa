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
import org.kfm.telemetry.contract.Ed25519Keys;

/**
 * The files of an ed25519 alert-signing key pair and its key id, as {@code kfm keys generate}
 * writes them: {@code name.key} (PKCS#8 PEM, mode 600) and {@code name.pub} (X.509 PEM).
 */
public record KeyFiles(String keyId, Path privateKey, Path publicKey) {

  /**
   * Writes a new ed25519 pair as {@code dir/name.key} and {@code dir/name.pub}.
   *
   * @throws FileAlreadyExistsException when either file exists
   */
  public static KeyFiles generate(Path dir, String name) throws IOException {
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
    Files.writeString(
        file,
        pem,
        StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    if (secret) {
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the file keeps the platform's default permissions
      }
    }
  }
}
