package org.kfm.telemetry.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * ed25519 keys as the contract uses them: PEM files (X.509 SubjectPublicKeyInfo for public keys,
 * PKCS#8 for private keys) and key ids derived from the public key, {@code kfm-ed25519-} followed
 * by the first 16 hex digits of the SHA-256 of the raw 32-byte public key.
 */
public final class Ed25519Keys {

  /**
   * DER prefix of an X.509 SubjectPublicKeyInfo for ed25519 (OID 1.3.101.112); the raw key follows.
   */
  private static final int X509_PREFIX_LENGTH = 12;

  public static final String KEY_ID_PREFIX = "kfm-ed25519-";

  private Ed25519Keys() {}

  /** The key id of a public key. */
  public static String keyId(PublicKey key) {
    return KEY_ID_PREFIX + Sha256.hexPrefix(raw(key), 8);
  }

  /** The 32 raw bytes of an ed25519 public key. */
  public static byte[] raw(PublicKey key) {
    byte[] encoded = key.getEncoded();
    if (!"Ed25519".equalsIgnoreCase(key.getAlgorithm())
            && !"EdDSA".equalsIgnoreCase(key.getAlgorithm())
        || encoded.length != X509_PREFIX_LENGTH + 32) {
      throw new IllegalArgumentException("not an ed25519 public key: " + key.getAlgorithm());
    }
    return Arrays.copyOfRange(encoded, X509_PREFIX_LENGTH, encoded.length);
  }

  /** Reads a {@code -----BEGIN PUBLIC KEY-----} PEM file holding an ed25519 key. */
  public static PublicKey readPublicKey(Path file) throws IOException {
    byte[] der = pem(file, "PUBLIC KEY");
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(file + ": not an ed25519 public key (" + e.getMessage() + ")");
    }
  }

  /** Reads a {@code -----BEGIN PRIVATE KEY-----} (PKCS#8) PEM file holding an ed25519 key. */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    byte[] der = pem(file, "PRIVATE KEY");
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(file + ": not an ed25519 PKCS#8 private key (" + e.getMessage() + ")");
    }
  }

  /**
   * The public key of an ed25519 private key. The JDK has no direct API for it, so its own key
   * generator is fed the private key's 32-byte seed as its "randomness" (RFC 8032: the public key
   * is a function of the seed alone).
   */
  public static PublicKey publicKeyOf(PrivateKey key) {
    if (!(key instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
      throw new IllegalArgumentException("not an ed25519 private key: " + key.getAlgorithm());
    }
    byte[] seed = ed.getBytes().get();
    SecureRandom fixed =
        new SecureRandom() {
          private static final long serialVersionUID = 1L;

          @Override
          public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
          }
        };
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, fixed);
      return generator.generateKeyPair().getPublic();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** PEM text for a key: {@code PUBLIC KEY} (X.509) or {@code PRIVATE KEY} (PKCS#8). */
  public static String toPem(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static byte[] pem(Path file, String label) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new IOException(file + ": not a PEM file");
    }
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IOException(file + ": no " + begin + " block");
    }
    String body = text.substring(from + begin.length(), to).replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": PEM body is not base64");
    }
  }
}
