package org.kfm.telemetry.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives Kafka Streams' state store meters one set of tag keys. Streams names a store's tag after
 * the store's type ({@code rocksdb-state-id} for a key-value store, {@code rocksdb-window-state-id}
 * for a window store, ...) under the same metric names, and Prometheus requires one set of tag keys
 * per name: without this, the meters of whichever store type registered second are dropped (with
 * one warning) and never reach {@code /metrics}. Here every such tag becomes {@code state.id} (the
 * store's name) plus {@code store.type} ({@code rocksdb}, {@code rocksdb-window}, ...). Immutable.
 */
public final class StateStoreTags implements MeterFilter {

  private static final String PREFIX = "kafka.stream.state.";
  private static final String SUFFIX = ".state.id";

  @Override
  public Meter.Id map(Meter.Id id) {
    if (!id.getName().startsWith(PREFIX)) {
      return id;
    }
    List<Tag> tags = null;
    for (Tag tag : id.getTagsAsIterable()) {
      String key = tag.getKey();
      if (key.endsWith(SUFFIX) && key.length() > SUFFIX.length()) {
        tags = new ArrayList<>();
        for (Tag other : id.getTagsAsIterable()) {
          if (other != tag) {
            tags.add(other);
          }
        }
        tags.add(Tag.of("state.id", tag.getValue()));
        tags.add(
            Tag.of(
                "store.type", key.substring(0, key.length() - SUFFIX.length()).replace('.', '-')));
        break;
      }
    }
    return tags == null ? id : id.replaceTags(tags);
  }
}
