# syntax=docker/dockerfile:1
# KFM Telemetry Streams: the service's container image.
#
#   docker build -t kfm-telemetry-streams:dev .
#   docker run --rm kfm-telemetry-streams:dev --help
#
# Runs as uid/gid 10001 and writes only to /var/lib/kfm/state (Kafka Streams state.dir) and /tmp
# (RocksDB extracts its native library to java.io.tmpdir, so /tmp must allow exec), so the root file
# system can be read-only. It expects the configuration at /etc/kfm/kfm.yaml and, for signed alerts,
# the key pair in /etc/kfm/keys/ (kfm keys generate --out /etc/kfm/keys). deploy/compose/ runs it.

# ---- build: the shaded jar, exactly as ./mvnw builds it
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build
# The wrapper and the POM first: the dependency layer is rebuilt only when they change.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline
# Everything the build reads: sources, the contract's JSON Schemas (classpath resources), the Avro
# schemas (generated classes) and topics.yaml (a resource of kfm dev).
COPY src/main/ src/main/
COPY contracts/ contracts/
COPY avro/ avro/
COPY topics.yaml ./
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -DskipTests package

# ---- runtime: a JRE on glibc (RocksDB's JNI library needs glibc; no Alpine)
FROM eclipse-temurin:17-jre
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
LABEL org.opencontainers.image.title="kfm-telemetry-streams" \
      org.opencontainers.image.description="Validates KFM telemetry (contract v2), routes it to Avro or a dead-letter topic, and watches trace/energy coverage SLOs." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.vendor="KFM" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17-jre"

# The writable directories are created owned by kfm so that a new named volume mounted there starts
# with that owner (Docker copies the image directory's owner and mode into an empty volume).
RUN groupadd --system --gid 10001 kfm \
 && useradd --system --uid 10001 --gid 10001 --home-dir /opt/kfm --no-create-home --shell /usr/sbin/nologin kfm \
 && mkdir -p /opt/kfm /etc/kfm/keys /var/lib/kfm/state \
 && chown 10001:10001 /etc/kfm/keys /var/lib/kfm/state \
 && chmod 0700 /etc/kfm/keys /var/lib/kfm/state

WORKDIR /opt/kfm
COPY --from=build /build/target/kfm-telemetry-streams.jar /opt/kfm/kfm-telemetry-streams.jar
COPY topics.yaml /opt/kfm/topics.yaml

# Heap from the container's memory limit (75 %, the rest for RocksDB, metaspace and threads); an
# OutOfMemoryError ends the process so the orchestrator restarts it rather than leaving it half alive.
# The parallel collector: ~30 % less stream-thread CPU per record than G1 (docs/benchmarks.md, "The
# garbage collector"), at the cost of longer, rarer pauses.
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:+UseParallelGC"

USER 10001:10001
EXPOSE 8080
# Writable even when the root file system is read-only (compose and Helm mount their own).
VOLUME ["/var/lib/kfm/state", "/tmp"]

ENTRYPOINT ["java", "-jar", "/opt/kfm/kfm-telemetry-streams.jar"]
CMD ["run", "--config", "/etc/kfm/kfm.yaml"]
