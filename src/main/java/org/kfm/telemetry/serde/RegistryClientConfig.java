package org.kfm.telemetry.serde;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a registry client needs to know: where the registry is (one or more base URLs tried in turn
 * on connection failure, or a single {@code mock://<scope>}), how to authenticate, how to retry,
 * and TLS.
 *
 * @param endpoints the base URLs, in order of preference
 * @param retry the retry policy for 5xx answers and connection failures
 * @param connectTimeout the TCP/TLS connect timeout ({@code http.connect.timeout.ms})
 * @param requestTimeout the timeout of one request, until the response headers ({@code
 *     http.read.timeout.ms})
 * @param tls TLS settings for {@code https://} endpoints
 */
public record RegistryClientConfig(
    List<RegistryEndpoint> endpoints,
    RetryPolicy retry,
    Duration connectTimeout,
    Duration requestTimeout,
    RegistryTls tls) {

  /** The URL scheme that selects the in-memory registry. */
  public static final String MOCK_SCHEME = "mock";

  public RegistryClientConfig {
    endpoints = List.copyOf(endpoints);
  }

  /** The scope of {@code mock://<scope>}, when that is the (only) URL. */
  public Optional<String> mockScope() {
    if (endpoints.size() == 1 && MOCK_SCHEME.equals(endpoints.get(0).base().getScheme())) {
      return Optional.of(
          endpoints.get(0).base().toString().substring((MOCK_SCHEME + "://").length()));
    }
    return Optional.empty();
  }
}
