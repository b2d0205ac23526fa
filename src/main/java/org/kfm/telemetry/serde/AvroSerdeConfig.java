package org.kfm.telemetry.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serde's configuration, read from Confluent's property names so that a Confluent serde
 * configuration works unchanged; unknown keys are ignored (Kafka passes its whole configuration), a
 * bad or unsupported value fails with a {@link ConfigException} naming the key.
 *
 * @param registry where and how to reach the schema registry (null when a client was supplied
 *     directly)
 * @param autoRegisterSchemas {@code auto.register.schemas}: register the record's schema when
 *     serializing
 * @param useLatestVersion {@code use.latest.version}: without auto-registration, write with the
 *     subject's latest schema
 * @param latestCompatibilityStrict {@code latest.compatibility.strict}: the latest schema must be
 *     able to read the record's
 * @param latestCacheTtl {@code latest.cache.ttl.sec}: how long a latest version is reused; negative
 *     means forever
 * @param specificAvroReader {@code specific.avro.reader}: read into generated SpecificRecord
 *     classes
 * @param failOnTrailingData {@code avro.fail.on.trailing.data}: reject bytes left after the Avro
 *     body
 */
public record AvroSerdeConfig(
    RegistryClientConfig registry,
    boolean autoRegisterSchemas,
    boolean useLatestVersion,
    boolean latestCompatibilityStrict,
    Duration latestCacheTtl,
    boolean specificAvroReader,
    boolean failOnTrailingData) {

  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String LATEST_COMPATIBILITY_STRICT = "latest.compatibility.strict";
  public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  public static final String AVRO_FAIL_ON_TRAILING_DATA = "avro.fail.on.trailing.data";
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

  /** Confluent's deprecated spelling of {@link #BASIC_AUTH_USER_INFO}, still accepted. */
  public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO =
      "schema.registry.basic.auth.user.info";

  public static final String MAX_RETRIES = "max.retries";
  public static final String RETRIES_WAIT_MS = "retries.wait.ms";
  public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
  public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
  public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";
  public static final String SSL_PROTOCOL = "schema.registry.ssl.protocol";
  public static final String SSL_ENDPOINT_IDENTIFICATION_ALGORITHM =
      "schema.registry.ssl.endpoint.identification.algorithm";

  /** The only subject naming this serde implements, under Confluent's class name. */
  public static final String TOPIC_NAME_STRATEGY =
      "io.confluent.kafka.serializers.subject.TopicNameStrategy";

  /**
   * Confluent keys whose non-default values would change the bytes or the subjects; refused rather
   * than ignored.
   */
  private static final Map<String, String> UNSUPPORTED =
      Map.of(
          "use.schema.id", "-1",
          "use.latest.with.metadata", "",
          "schema.reflection", "false",
          "avro.use.logical.type.converters", "false",
          "normalize.schemas", "false",
          "bearer.auth.credentials.source", "");

  private static final Logger LOG = LoggerFactory.getLogger(AvroSerdeConfig.class);

  private static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              SCHEMA_REGISTRY_URL,
              Type.LIST,
              null,
              Importance.HIGH,
              "Comma-separated schema registry URLs, or mock://<scope> for the in-memory registry.")
          .define(
              AUTO_REGISTER_SCHEMAS,
              Type.BOOLEAN,
              true,
              Importance.MEDIUM,
              "Register the record's schema.")
          .define(
              USE_LATEST_VERSION,
              Type.BOOLEAN,
              false,
              Importance.LOW,
              "Write with the subject's latest schema.")
          .define(
              LATEST_COMPATIBILITY_STRICT,
              Type.BOOLEAN,
              true,
              Importance.LOW,
              "Check that the latest schema can read the record's schema.")
          .define(
              LATEST_CACHE_TTL_SEC,
              Type.INT,
              -1,
              Importance.LOW,
              "Seconds to reuse a latest version; -1 forever.")
          .define(
              SPECIFIC_AVRO_READER,
              Type.BOOLEAN,
              false,
              Importance.LOW,
              "Read into generated classes.")
          .define(
              AVRO_FAIL_ON_TRAILING_DATA,
              Type.BOOLEAN,
              false,
              Importance.LOW,
              "Reject bytes after the body.")
          .define(
              KEY_SUBJECT_NAME_STRATEGY,
              Type.STRING,
              TOPIC_NAME_STRATEGY,
              Importance.MEDIUM,
              "Only TopicNameStrategy.")
          .define(
              VALUE_SUBJECT_NAME_STRATEGY,
              Type.STRING,
              TOPIC_NAME_STRATEGY,
              Importance.MEDIUM,
              "Only TopicNameStrategy.")
          .define(
              BASIC_AUTH_CREDENTIALS_SOURCE,
              Type.STRING,
              "URL",
              ConfigDef.CaseInsensitiveValidString.in("URL", "USER_INFO"),
              Importance.MEDIUM,
              "URL or USER_INFO.")
          .define(
              BASIC_AUTH_USER_INFO,
              Type.PASSWORD,
              null,
              Importance.MEDIUM,
              "user:password for USER_INFO.")
          .define(
              SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO,
              Type.PASSWORD,
              null,
              Importance.LOW,
              "Deprecated alias.")
          .define(
              MAX_RETRIES,
              Type.INT,
              3,
              Range.between(0, 30),
              Importance.LOW,
              "Retries on 5xx or connection failure.")
          .define(
              RETRIES_WAIT_MS,
              Type.INT,
              1000,
              Range.atLeast(0),
              Importance.LOW,
              "First backoff ceiling.")
          .define(
              RETRIES_MAX_WAIT_MS,
              Type.INT,
              20000,
              Range.atLeast(0),
              Importance.LOW,
              "Largest backoff ceiling.")
          .define(
              HTTP_CONNECT_TIMEOUT_MS,
              Type.INT,
              60000,
              Range.atLeast(1),
              Importance.LOW,
              "Connect timeout.")
          .define(
              HTTP_READ_TIMEOUT_MS,
              Type.INT,
              60000,
              Range.atLeast(1),
              Importance.LOW,
              "Request timeout.")
          .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM, "Truststore path.")
          .define(
              SSL_TRUSTSTORE_PASSWORD,
              Type.PASSWORD,
              null,
              Importance.MEDIUM,
              "Truststore password.")
          .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "JKS", Importance.LOW, "Truststore type.")
          .define(SSL_KEYSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM, "Keystore path.")
          .define(
              SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Keystore password.")
          .define(SSL_KEYSTORE_TYPE, Type.STRING, "JKS", Importance.LOW, "Keystore type.")
          .define(SSL_KEY_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Private key password.")
          .define(SSL_PROTOCOL, Type.STRING, "TLSv1.3", Importance.LOW, "TLS protocol.")
          .define(
              SSL_ENDPOINT_IDENTIFICATION_ALGORITHM,
              Type.STRING,
              "https",
              Importance.LOW,
              "Only https.");

  /**
   * Reads the serde configuration; {@code schema.registry.url} is required unless {@code
   * clientSupplied}.
   *
   * @throws ConfigException naming the offending key
   */
  public static AvroSerdeConfig parse(Map<String, ?> configs, boolean clientSupplied) {
    refuseUnsupported(configs);
    Map<String, Object> values = DEFINITION.parse(configs);
    requireTopicNameStrategy(values, KEY_SUBJECT_NAME_STRATEGY);
    requireTopicNameStrategy(values, VALUE_SUBJECT_NAME_STRATEGY);
    if (!"https"
        .equalsIgnoreCase(Objects.toString(values.get(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM)))) {
      throw new ConfigException(
          SSL_ENDPOINT_IDENTIFICATION_ALGORITHM,
          values.get(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM),
          "only https (host name verification on) is supported");
    }
    @SuppressWarnings("unchecked")
    List<String> urls = (List<String>) values.get(SCHEMA_REGISTRY_URL);
    RegistryClientConfig registry = null;
    if (urls != null && !urls.isEmpty()) {
      registry = registry(urls, values);
    } else if (!clientSupplied) {
      throw new ConfigException(
          SCHEMA_REGISTRY_URL,
          null,
          "required: the schema registry URL(s), comma-separated (e.g. http://registry:8081), or mock://<scope>");
    }
    int ttl = (Integer) values.get(LATEST_CACHE_TTL_SEC);
    return new AvroSerdeConfig(
        registry,
        (Boolean) values.get(AUTO_REGISTER_SCHEMAS),
        (Boolean) values.get(USE_LATEST_VERSION),
        (Boolean) values.get(LATEST_COMPATIBILITY_STRICT),
        ttl < 0 ? Duration.ofSeconds(-1) : Duration.ofSeconds(ttl),
        (Boolean) values.get(SPECIFIC_AVRO_READER),
        (Boolean) values.get(AVRO_FAIL_ON_TRAILING_DATA));
  }

  /** The same configuration reading into generated classes or not. */
  public AvroSerdeConfig withSpecificAvroReader(boolean specific) {
    return new AvroSerdeConfig(
        registry,
        autoRegisterSchemas,
        useLatestVersion,
        latestCompatibilityStrict,
        latestCacheTtl,
        specific,
        failOnTrailingData);
  }

  private static RegistryClientConfig registry(List<String> urls, Map<String, Object> values) {
    boolean userInfoSource =
        "USER_INFO".equalsIgnoreCase((String) values.get(BASIC_AUTH_CREDENTIALS_SOURCE));
    Password configured =
        values.get(BASIC_AUTH_USER_INFO) != null
            ? (Password) values.get(BASIC_AUTH_USER_INFO)
            : (Password) values.get(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO);
    if (userInfoSource && configured == null) {
      throw new ConfigException(
          BASIC_AUTH_USER_INFO,
          null,
          "required (as user:password) when " + BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO");
    }
    if (!userInfoSource && configured != null) {
      LOG.warn(
          "{} is ignored because {} is URL (the default); set it to USER_INFO to use it",
          BASIC_AUTH_USER_INFO,
          BASIC_AUTH_CREDENTIALS_SOURCE);
    }
    List<RegistryEndpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      URI url = url(urls.get(i), i, urls.size());
      endpoints.add(
          RegistryEndpoint.of(url, userInfoSource ? configured.value() : url.getUserInfo()));
    }
    return new RegistryClientConfig(
        endpoints,
        new RetryPolicy(
            (Integer) values.get(MAX_RETRIES),
            Duration.ofMillis((Integer) values.get(RETRIES_WAIT_MS)),
            Duration.ofMillis((Integer) values.get(RETRIES_MAX_WAIT_MS))),
        Duration.ofMillis((Integer) values.get(HTTP_CONNECT_TIMEOUT_MS)),
        Duration.ofMillis((Integer) values.get(HTTP_READ_TIMEOUT_MS)),
        new RegistryTls(
            (String) values.get(SSL_TRUSTSTORE_LOCATION),
            (Password) values.get(SSL_TRUSTSTORE_PASSWORD),
            (String) values.get(SSL_TRUSTSTORE_TYPE),
            (String) values.get(SSL_KEYSTORE_LOCATION),
            (Password) values.get(SSL_KEYSTORE_PASSWORD),
            (String) values.get(SSL_KEYSTORE_TYPE),
            (Password) values.get(SSL_KEY_PASSWORD),
            (String) values.get(SSL_PROTOCOL)));
  }

  private static URI url(String text, int index, int count) {
    // Messages never echo the URL itself: it may carry user:password.
    String which = "entry " + (index + 1) + " of " + count;
    URI url;
    try {
      url = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new ConfigException(SCHEMA_REGISTRY_URL + " " + which + " is not a valid URL");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals(RegistryClientConfig.MOCK_SCHEME)) {
      if (count > 1) {
        throw new ConfigException(SCHEMA_REGISTRY_URL + " cannot mix mock:// with other URLs");
      }
      return url;
    }
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw new ConfigException(
          SCHEMA_REGISTRY_URL
              + " "
              + which
              + " must be http://host:port, https://host:port or mock://<scope>");
    }
    return url;
  }

  private static void requireTopicNameStrategy(Map<String, Object> values, String key) {
    String strategy = (String) values.get(key);
    if (strategy != null
        && !strategy.equals(TOPIC_NAME_STRATEGY)
        && !strategy.equals("TopicNameStrategy")) {
      throw new ConfigException(
          key,
          strategy,
          "only " + TOPIC_NAME_STRATEGY + " (<topic>-key, <topic>-value) is supported");
    }
  }

  private static void refuseUnsupported(Map<String, ?> configs) {
    UNSUPPORTED.forEach(
        (key, harmless) -> {
          Object value = configs.get(key);
          if (value != null && !value.toString().trim().equalsIgnoreCase(harmless)) {
            throw new ConfigException(key, value, "not supported by this serde");
          }
        });
  }
}
