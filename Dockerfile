# yzt runtime image. Build the jar first (mvn -B -ntp package), then: docker build -t yzt .
# Configuration: the defaults packed in the jar, a -conf file mounted by the operator, and YZT_* variables.
# PINNED BY DIGEST: the multi-arch manifest list of eclipse-temurin:17-jre (17.0.20_8), as public
# Dockerfiles pin it; it could not be pulled where this file was written (no registry but Maven Central,
# Debian and npm). Check and keep it current where a registry answers, with a digest-bumping bot
# (Dependabot's docker ecosystem), not by hand:
#   docker buildx imagetools inspect eclipse-temurin:17-jre --format '{{json .Manifest.Digest}}'
FROM eclipse-temurin:17-jre@sha256:13cc28a6cc72a38ce1f00c906be3580c1a3e604b8984d694f369a96742abc93b

RUN groupadd --system --gid 10001 yzt \
 && useradd --system --uid 10001 --gid yzt --home-dir /opt/yzt --shell /usr/sbin/nologin yzt

WORKDIR /opt/yzt
COPY --chown=root:root target/yzt.jar /opt/yzt/yzt.jar
COPY --chown=root:root conf/ /opt/yzt/conf/

# production defaults; everything else comes from the -conf file (secrets: a file, e.g. a compose secret
# under /run/secrets) and YZT_* (never a secret: the environment is visible to docker inspect)
ENV YZT_PROFILE=prod \
    YZT_SIMULATORS_ENABLED=false \
    YZT_REDIS_EMBEDDED=false \
    YZT_LOG_FORMAT=json \
    YZT_HTTP_HOST=0.0.0.0 \
    YZT_HTTP_PORT=8080 \
    YZT_HTTP_OPSPORT=9090 \
    YZT_HTTP_OPSHOST=0.0.0.0

USER yzt:yzt
# 8080 HTTP; 9090 the ops port (/ready, /metrics; SPEC §11): reachable on the container's networks for a
# scraper, never published; the public port 8080 answers those two 404; 5701 cluster membership, 5702
# its key exchange (the event-bus port is cluster.eventBusPort)
EXPOSE 8080 5701 5702

# /ready is 200 only while Redis answers and this node's verticles are deployed (SPEC §2.5); the probe is
# a class in the jar that opens one socket (no curl, no Vert.x, no configuration read)
HEALTHCHECK --interval=10s --timeout=4s --start-period=60s --retries=3 \
  CMD ["java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx16m", "-cp", "/opt/yzt/yzt.jar", "org.yzt.cli.ReadyProbe", "9090"]

# SIGTERM (docker stop) lets requests in flight finish and leaves unfinished jobs in Redis: give it 30 s
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/yzt/yzt.jar"]
CMD ["-conf", "/etc/yzt/prod.json"]
