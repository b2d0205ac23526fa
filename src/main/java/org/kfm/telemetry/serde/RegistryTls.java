package org.kfm.telemetry.serde;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * TLS settings for talking to an {@code https://} registry, from the {@code schema.registry.ssl.*}
 * keys. Without a truststore the JVM's default trust applies; a keystore adds a client certificate
 * (mutual TLS). Store types are those of {@link KeyStore} (JKS, PKCS12); PEM stores are not
 * supported.
 *
 * @param truststoreLocation path of the truststore, or null
 * @param truststorePassword its password, or null
 * @param truststoreType its type
 * @param keystoreLocation path of the client keystore, or null
 * @param keystorePassword its password, or null
 * @param keystoreType its type
 * @param keyPassword the private key's password, or null for the keystore password
 * @param protocol the SSLContext protocol, e.g. TLSv1.3
 */
public record RegistryTls(
    String truststoreLocation,
    Password truststorePassword,
    String truststoreType,
    String keystoreLocation,
    Password keystorePassword,
    String keystoreType,
    Password keyPassword,
    String protocol) {

  /**
   * The SSLContext these settings describe; a store that cannot be read fails with the key that
   * names it.
   */
  public SSLContext sslContext() {
    try {
      if (truststoreLocation == null && keystoreLocation == null) {
        return SSLContext.getDefault();
      }
      SSLContext context = SSLContext.getInstance(protocol);
      context.init(
          keystoreLocation == null ? null : keyManagers().getKeyManagers(),
          truststoreLocation == null ? null : trustManagers().getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new ConfigException(
          AvroSerdeConfig.SSL_PROTOCOL, protocol, "cannot build a TLS context: " + e.getMessage());
    }
  }

  private TrustManagerFactory trustManagers() throws GeneralSecurityException {
    KeyStore store =
        load(
            AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION,
            truststoreLocation,
            truststoreType,
            truststorePassword);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory;
  }

  private KeyManagerFactory keyManagers() throws GeneralSecurityException {
    KeyStore store =
        load(
            AvroSerdeConfig.SSL_KEYSTORE_LOCATION,
            keystoreLocation,
            keystoreType,
            keystorePassword);
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    Password key = keyPassword != null ? keyPassword : keystorePassword;
    factory.init(store, chars(key));
    return factory;
  }

  private static KeyStore load(String key, String location, String type, Password password) {
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, chars(password));
      return store;
    } catch (IOException | GeneralSecurityException e) {
      // The message names the file and the problem, never the password.
      throw new ConfigException(key, location, "cannot read " + type + " store: " + e.getMessage());
    }
  }

  private static char[] chars(Password password) {
    return password == null ? null : password.value().toCharArray();
  }
}
