package org.kfm.telemetry.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A secured single-node KRaft cluster in this JVM, as production runs it: clients connect to a
 * {@code SASL_SSL} listener ({@code SCRAM-SHA-512} over TLS, the broker's certificate signed by a
 * test CA made at start, whose certificate alone is in {@link #truststore()}), and {@code
 * StandardAuthorizer} refuses whatever no ACL allows. SCRAM users are created at start with the
 * passwords given; {@code superUsers} bypass the ACLs, everyone else gets what {@link #allow}
 * grants.
 *
 * <p>The broker's own traffic (controller, inter-broker) and the test's setup ({@link
 * #internalAdmin()}: SCRAM credentials, ACLs) use a PLAINTEXT listener whose principal, {@code
 * User:ANONYMOUS}, is a super user like the broker itself; no client under test uses it.
 */
public final class SecuredKafka implements BeforeAllCallback, AfterAllCallback {

  /** The clients' listener. */
  public static final String LISTENER = "SECURE";

  public static final String MECHANISM = "SCRAM-SHA-512";

  private static final Duration USERS_READY = Duration.ofSeconds(60);

  private final Map<String, String> users;
  private final List<String> superUsers;
  private final String storePassword = "store-" + UUID.randomUUID();
  private Path dir;
  private KafkaClusterTestKit cluster;
  private Path truststore;
  private Path keystore;

  /**
   * @param users SCRAM users and their passwords
   * @param superUsers those of them that bypass the ACLs
   */
  public SecuredKafka(Map<String, String> users, List<String> superUsers) {
    this.users = new LinkedHashMap<>(users);
    this.superUsers = List.copyOf(superUsers);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path base = Files.createDirectories(Path.of("target", "kafka-clusters"));
    dir = Files.createTempDirectory(base, context.getRequiredTestClass().getSimpleName() + "-");
    makeTestCa(dir);
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumControllerNodes(1)
            .setNumBrokerNodes(1)
            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
            .setBaseDirectory(dir.resolve("cluster").toAbsolutePath())
            .build();
    KafkaClusterTestKit.Builder builder =
        new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
    InProcessKafka.BROKER_SETTINGS.forEach(builder::setConfigProp);
    String prefix = "listener.name." + LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
    builder
        .setConfigProp(
            "listeners",
            "EXTERNAL://localhost:0,CONTROLLER://localhost:0," + LISTENER + "://localhost:0")
        .setConfigProp(
            "listener.security.protocol.map",
            "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT," + LISTENER + ":SASL_SSL")
        .setConfigProp(prefix + "sasl.enabled.mechanisms", MECHANISM)
        .setConfigProp(
            prefix + MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;")
        .setConfigProp(prefix + "ssl.keystore.location", keystore.toAbsolutePath().toString())
        .setConfigProp(prefix + "ssl.keystore.password", storePassword)
        .setConfigProp(prefix + "ssl.key.password", storePassword)
        .setConfigProp(prefix + "ssl.keystore.type", "PKCS12")
        .setConfigProp(
            "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        .setConfigProp("allow.everyone.if.no.acl.found", "false")
        .setConfigProp("super.users", superUsersSetting());
    cluster = builder.build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      createUsers();
    } catch (Exception | Error e) {
      cluster.close();
      cluster = null;
      throw e;
    }
  }

  private String superUsersSetting() {
    List<String> principals = new ArrayList<>(List.of("User:ANONYMOUS"));
    superUsers.forEach(u -> principals.add("User:" + u));
    return String.join(";", principals);
  }

  /** Creates the SCRAM credentials, then waits until each user can log in. */
  private void createUsers() throws Exception {
    List<UserScramCredentialAlteration> upserts = new ArrayList<>();
    users.forEach(
        (user, password) ->
            upserts.add(
                new UserScramCredentialUpsertion(
                    user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)));
    try (Admin admin = internalAdmin()) {
      admin.alterUserScramCredentials(upserts).all().get();
    }
    long deadline = System.nanoTime() + USERS_READY.toNanos();
    for (Map.Entry<String, String> user : users.entrySet()) {
      while (true) {
        Map<String, Object> settings =
            new HashMap<>(clientSettings(user.getKey(), user.getValue()));
        settings.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        settings.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(settings)) {
          admin.listTopics().names().get();
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          // the broker may not have applied the credential yet
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("user " + user.getKey() + " cannot log in", e);
          }
          Thread.sleep(200);
        }
      }
    }
  }

  /** The test CA, the broker's key store (its key and certificate) and the clients' trust store. */
  private void makeTestCa(Path into) throws GeneralSecurityException, IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      Instant now = Instant.now();
      Date from = Date.from(now.minus(Duration.ofHours(1)));
      Date to = Date.from(now.plus(Duration.ofDays(2)));
      KeyPair caKeys = generator.generateKeyPair();
      X500Name caName = new X500Name("CN=kfm test CA");
      X509v3CertificateBuilder ca =
          new JcaX509v3CertificateBuilder(
              caName, BigInteger.ONE, from, to, caName, caKeys.getPublic());
      ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      ca.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate caCert = sign(ca, caKeys);

      KeyPair serverKeys = generator.generateKeyPair();
      X509v3CertificateBuilder server =
          new JcaX509v3CertificateBuilder(
              caName,
              BigInteger.TWO,
              from,
              to,
              new X500Name("CN=localhost"),
              serverKeys.getPublic());
      server.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      server.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      server.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(
                    GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())
              }));
      X509Certificate serverCert = sign(server, caKeys);

      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "localhost",
          serverKeys.getPrivate(),
          storePassword.toCharArray(),
          new Certificate[] {serverCert, caCert});
      keystore = store(keys, into.resolve("broker-keystore.p12"));
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("kfm-test-ca", caCert);
      truststore = store(trust, into.resolve("ca-truststore.p12"));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder certificate, KeyPair issuer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            certificate.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
  }

  private Path store(KeyStore store, Path file) throws GeneralSecurityException, IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, storePassword.toCharArray());
    }
    return file;
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  /** {@code localhost:port} of the SASL_SSL listener. */
  public String bootstrapServers() {
    return "localhost:" + running().brokers().get(0).boundPort(ListenerName.normalised(LISTENER));
  }

  /**
   * The client settings of {@code user} logging in with {@code password} on the SASL_SSL listener:
   * bootstrap.servers, security.protocol, sasl.mechanism, sasl.jaas.config and the trust store.
   */
  public Map<String, Object> clientSettings(String user, String password) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    settings.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
    settings.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(user, password));
    settings.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toAbsolutePath().toString());
    settings.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, storePassword);
    settings.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
    return settings;
  }

  /** The {@code sasl.jaas.config} line of {@code user}. */
  public static String jaasConfig(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** The trust store (PKCS12) holding the test CA's certificate only. */
  public Path truststore() {
    return truststore.toAbsolutePath();
  }

  /** The password of {@link #truststore()}. */
  public String truststorePassword() {
    return storePassword;
  }

  /**
   * A server TLS context presenting a certificate for localhost / 127.0.0.1 signed by the test CA
   * (for an HTTPS schema registry that clients trust through {@link #truststore()}).
   */
  public SSLContext serverTls() throws GeneralSecurityException, IOException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(keystore)) {
      keys.load(in, storePassword.toCharArray());
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, storePassword.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(factory.getKeyManagers(), null, null);
    return tls;
  }

  /** An admin on the internal PLAINTEXT listener (a super user): for setting up, never tested. */
  public Admin internalAdmin() {
    return running().admin();
  }

  /** Adds {@code acls}. */
  public void allow(Collection<AclBinding> acls) throws Exception {
    try (Admin admin = internalAdmin()) {
      admin.createAcls(acls).all().get();
    }
  }

  /** Removes {@code acls}. */
  public void revoke(Collection<AclBinding> acls) throws Exception {
    try (Admin admin = internalAdmin()) {
      admin.deleteAcls(acls.stream().map(AclBinding::toFilter).toList()).all().get();
    }
  }

  /** Every ACL of the cluster. */
  public Collection<AclBinding> acls() throws Exception {
    try (Admin admin = internalAdmin()) {
      return admin.describeAcls(AclBindingFilter.ANY).values().get();
    }
  }

  /** The running cluster (for fault injection). */
  public KafkaClusterTestKit running() {
    if (cluster == null) {
      throw new IllegalStateException(
          "the cluster is not running: register SecuredKafka with @RegisterExtension"
              + " on a static field");
    }
    return cluster;
  }
}
