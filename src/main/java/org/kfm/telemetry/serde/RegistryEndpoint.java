package org.kfm.telemetry.serde;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.common.config.types.Password;

/**
 * One schema registry base URL, without user-info, and the {@code Authorization} header to send to
 * it (null for none). Its {@link #toString()} is the bare URL, so it is safe to log.
 *
 * @param base scheme, host, port and optional path prefix, without user-info or trailing slash
 * @param authorization the full {@code Authorization} header value, hidden from {@code toString};
 *     may be null
 */
public record RegistryEndpoint(URI base, Password authorization) {

  /**
   * An endpoint for {@code url}, authenticated with HTTP Basic {@code user:password} when {@code
   * userInfo} is not null.
   */
  public static RegistryEndpoint of(URI url, String userInfo) {
    String text = url.toString();
    if (url.getRawUserInfo() != null) {
      text = text.replace(url.getRawUserInfo() + "@", "");
    }
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    Password header =
        userInfo == null
            ? null
            : new Password(
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    return new RegistryEndpoint(URI.create(text), header);
  }

  /** The URI of {@code path} (starting with '/') on this registry. */
  public URI resolve(String path) {
    return URI.create(base + path);
  }

  @Override
  public String toString() {
    return base.toString();
  }
}
