package org.kfm.telemetry.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Everything {@code kfm run} needs, validated: the topology's {@link AppConfig}, the ops HTTP port,
 * the pass-through Kafka/Streams properties ({@code kafka.*}) and the serde's schema registry
 * properties ({@code serde.*}, Confluent's names).
 *
 * @param app topics, de-duplication, validator, health checks and alerts
 * @param httpPort the port of the ops HTTP endpoints ({@code http.port}; 0 picks a free one)
 * @param kafka Kafka and Kafka Streams properties, applied on top of the service's own
 * @param serde properties of the Avro serdes ({@code schema.registry.url}, {@code
 *     basic.auth.user.info}, ...)
 * @param effective every setting with its source value, for the start-up log (see {@link
 *     #describe()})
 */
public record ServiceConfig(
    AppConfig app,
    int httpPort,
    Map<String, String> kafka,
    Map<String, String> serde,
    Map<String, String> effective) {

  public ServiceConfig {
    Objects.requireNonNull(app, "app");
    kafka = Map.copyOf(kafka);
    serde = Map.copyOf(serde);
    effective = Map.copyOf(effective);
  }

  /** The {@code kafka.*} settings as Properties. */
  public Properties kafkaProperties() {
    Properties props = new Properties();
    props.putAll(kafka);
    return props;
  }

  /** The effective configuration, one {@code key = value} per line, sorted, secrets hidden. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    new TreeMap<>(effective).forEach((k, v) -> lines.add(k + " = " + Secrets.mask(k, v)));
    return lines;
  }
}
