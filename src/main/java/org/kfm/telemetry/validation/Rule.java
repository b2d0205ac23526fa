package org.kfm.telemetry.validation;

/**
 * A rule that looks at a payload as a whole (specific members such as {@code ts} or {@code kind})
 * and reports findings. Implementations are stateless and thread-safe.
 */
public interface Rule {

  void check(Payload payload, Findings findings);
}
