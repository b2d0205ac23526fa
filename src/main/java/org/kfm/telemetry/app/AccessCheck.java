package org.kfm.telemetry.app;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.config.ConfigError;
import org.kfm.telemetry.config.Secrets;
import org.kfm.telemetry.config.Topics;
import org.kfm.telemetry.serde.AvroSerdeConfig;
import org.kfm.telemetry.serde.HttpSchemaRegistryClient;
import org.kfm.telemetry.serde.SchemaRegistryException;
import org.kfm.telemetry.topology.StreamsProperties;

/**
 * What {@code kfm run} checks before it starts the streams: that Kafka and the schema registry
 * accept the service's credentials, and that Kafka's ACLs give its principal the operations it
 * needs on its topics and consumer group. A refusal is one line naming who was refused and what is
 * missing (a {@link KfmCommand.UserException}), instead of stream threads failing one after another
 * with stack traces. What cannot be told (a broker or registry not reachable yet, a topic or group
 * that does not exist yet, a broker that does not report authorized operations) is left to the
 * streams, which retry or report it themselves.
 */
final class AccessCheck {

  private static final long TIMEOUT_MS = 15_000;
  private static final Pattern JAAS_USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

  private AccessCheck() {}

  /** Checks Kafka's answer to the service's credentials and its ACLs; throws on a refusal. */
  static void kafka(Properties kafka, AppConfig app) {
    Map<String, Object> settings = adminSettings(kafka, "kfm-run-access-check", TIMEOUT_MS);
    String where =
        "Kafka at " + Secrets.mask("bootstrap.servers", kafka.getProperty("bootstrap.servers"));
    try (Admin admin = admin(settings)) {
      try {
        admin.describeCluster().clusterId().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof AuthenticationException refused) {
          throw new KfmCommand.UserException(
              where + " refused the credentials of " + who(kafka) + ": " + refused.getMessage());
        }
        return;
      } catch (TimeoutException e) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      Map<String, Set<AclOperation>> authorized = new LinkedHashMap<>();
      Map<String, List<AclOperation>> required = required(app, kafka);
      List<String> topics =
          required.keySet().stream()
              .filter(r -> r.startsWith("topic "))
              .map(r -> r.substring(6))
              .toList();
      Map<String, KafkaFuture<TopicDescription>> described =
          admin
              .describeTopics(topics, new DescribeTopicsOptions().includeAuthorizedOperations(true))
              .topicNameValues();
      for (String topic : topics) {
        authorized(
            "topic " + topic,
            () ->
                described.get(topic).get(TIMEOUT_MS, TimeUnit.MILLISECONDS).authorizedOperations(),
            authorized);
      }
      String group = groupOf(kafka);
      authorized(
          "group " + group,
          () ->
              admin
                  .describeConsumerGroups(
                      List.of(group),
                      new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                  .describedGroups()
                  .get(group)
                  .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
                  .authorizedOperations(),
          authorized);
      List<String> missing = missing(required, authorized);
      if (!missing.isEmpty()) {
        throw new KfmCommand.UserException(
            where
                + " does not allow "
                + who(kafka)
                + " "
                + String.join(", ", missing)
                + " (the ACLs the service needs are listed in docs/deploy.md)");
      }
    }
  }

  /** The admin client settings among the service's Kafka properties, with these id and timeouts. */
  static Map<String, Object> adminSettings(Properties kafka, String clientId, long timeoutMs) {
    Map<String, Object> settings = new HashMap<>();
    kafka.forEach(
        (k, v) -> {
          if (AdminClientConfig.configNames().contains(String.valueOf(k))) {
            settings.put(String.valueOf(k), v);
          }
        });
    settings.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    return settings;
  }

  /**
   * The {@code max.message.bytes} the broker reports for {@code topic} (its own or the broker's
   * default), or null when that cannot be told within {@code timeoutMs}: a broker not reachable
   * yet, a topic not created yet, a principal without DescribeConfigs on it (not among the ACLs the
   * service needs). The caller then assumes Kafka's default.
   */
  static Integer maxMessageBytes(Properties kafka, String topic, long timeoutMs) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin admin = Admin.create(adminSettings(kafka, "kfm-run-topic-limits", timeoutMs))) {
      ConfigEntry entry =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(timeoutMs, TimeUnit.MILLISECONDS)
              .get(resource)
              .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      return entry == null || entry.value() == null ? null : Integer.valueOf(entry.value());
    } catch (ExecutionException | TimeoutException | KafkaException | NumberFormatException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * An admin client with the service's settings, or the {@link ConfigError} of a setting Kafka
   * refuses (e.g. {@code bootstrap.servers} that is not HOST:PORT): this is the first client {@code
   * kfm run} makes.
   */
  private static Admin admin(Map<String, Object> settings) {
    try {
      return Admin.create(settings);
    } catch (ConfigException e) {
      throw ConfigError.kafka(e);
    } catch (KafkaException e) {
      if (e.getCause() instanceof ConfigException refused) {
        throw ConfigError.kafka(refused);
      }
      throw e;
    }
  }

  /**
   * The operations the processing needs, by resource ({@code topic NAME}, {@code group NAME}); not
   * the status page's READ on the dead-letter and alerts topics, without which it says why and the
   * service goes on. The health checks read the valid topic and write the health topic, the alerts
   * the alerts topic, when they are on.
   */
  static Map<String, List<AclOperation>> required(AppConfig app, Properties kafka) {
    Topics topics = app.topics();
    boolean health = app.health().enabled();
    Map<String, List<AclOperation>> required = new LinkedHashMap<>();
    required.put("topic " + topics.raw(), List.of(AclOperation.READ));
    required.put(
        "topic " + topics.valid(),
        health ? List.of(AclOperation.READ, AclOperation.WRITE) : List.of(AclOperation.WRITE));
    required.put("topic " + topics.dlq(), List.of(AclOperation.WRITE));
    if (health) {
      required.put("topic " + topics.health(), List.of(AclOperation.WRITE));
    }
    if (health && app.health().alertsEnabled()) {
      required.put("topic " + topics.alerts(), List.of(AclOperation.WRITE));
    }
    required.put("group " + groupOf(kafka), List.of(AclOperation.READ));
    return required;
  }

  /**
   * The required operations {@code authorized} lacks, as {@code READ on topic NAME}; resources not
   * in {@code authorized} (not known) are skipped.
   */
  static List<String> missing(
      Map<String, List<AclOperation>> required, Map<String, Set<AclOperation>> authorized) {
    List<String> missing = new ArrayList<>();
    required.forEach(
        (resource, operations) -> {
          Set<AclOperation> allowed = authorized.get(resource);
          if (allowed != null && !allowed.contains(AclOperation.ALL)) {
            operations.stream()
                .filter(op -> !allowed.contains(op))
                .forEach(op -> missing.add(op + " on " + resource));
          }
        });
    return missing;
  }

  private interface Operations {
    Set<AclOperation> get() throws ExecutionException, InterruptedException, TimeoutException;
  }

  /**
   * Records what {@code operations} says is allowed on {@code resource}: nothing when Kafka refuses
   * even to describe it, unknown (left out) when it cannot tell.
   */
  private static void authorized(
      String resource, Operations operations, Map<String, Set<AclOperation>> authorized) {
    try {
      Set<AclOperation> allowed = operations.get();
      if (allowed != null) {
        authorized.put(resource, allowed);
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException) {
        authorized.put(resource, Set.of());
      }
    } catch (TimeoutException e) {
      // unknown: the streams will tell
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Checks the schema registry's answer to the service's credentials; throws on a refusal. */
  static void registry(Map<String, ?> serde) {
    Object url = serde.get(AvroSerdeConfig.SCHEMA_REGISTRY_URL);
    if (url == null || !String.valueOf(url).startsWith("http")) {
      return;
    }
    HttpSchemaRegistryClient client =
        new HttpSchemaRegistryClient(AvroSerdeConfig.parse(serde, false).registry());
    try {
      client.getLatest("kfm-access-check");
    } catch (SchemaRegistryException e) {
      if (e.status() == 401 || e.status() == 403) {
        throw new KfmCommand.UserException(
            "schema registry "
                + Secrets.mask(AvroSerdeConfig.SCHEMA_REGISTRY_URL, String.valueOf(url))
                + " refused the credentials of "
                + registryUser(serde)
                + ": "
                + e.getMessage());
      }
    }
  }

  /** Who logs in to Kafka, for messages: {@code SCRAM-SHA-512 user kfm}; never a secret. */
  static String who(Properties kafka) {
    String protocol = kafka.getProperty("security.protocol", "PLAINTEXT");
    if (!protocol.startsWith("SASL")) {
      return "the " + protocol + " client";
    }
    String mechanism = kafka.getProperty("sasl.mechanism", "GSSAPI");
    Matcher user = JAAS_USERNAME.matcher(kafka.getProperty("sasl.jaas.config", ""));
    return mechanism + (user.find() ? " user " + user.group(1) : " client");
  }

  private static String registryUser(Map<String, ?> serde) {
    Object userInfo = serde.get(AvroSerdeConfig.BASIC_AUTH_USER_INFO);
    if (userInfo == null) {
      userInfo =
          URI.create(String.valueOf(serde.get(AvroSerdeConfig.SCHEMA_REGISTRY_URL))).getUserInfo();
    }
    String info = userInfo == null ? "" : String.valueOf(userInfo);
    int colon = info.indexOf(':');
    return info.isEmpty()
        ? "the service (no user)"
        : "user " + (colon < 0 ? info : info.substring(0, colon));
  }

  private static String groupOf(Properties kafka) {
    return kafka.getProperty("application.id", StreamsProperties.APPLICATION_ID);
  }
}
