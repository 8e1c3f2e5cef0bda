# yzt runtime image. Build the jar first (mvn -B -ntp package), then: docker build -t yzt .
# Configuration: the defaults packed in the jar, a -conf file mounted by the operator, and YZT_* variables.
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 yzt \
 && useradd --system --uid 10001 --gid yzt --home-dir /opt/yzt --shell /usr/sbin/nologin yzt

WORKDIR /opt/yzt
COPY --chown=root:root target/yzt.jar /opt/yzt/yzt.jar
COPY --chown=root:root conf/ /opt/yzt/conf/

# production defaults; everything else comes from the -conf file and YZT_* (secrets by environment or env_file)
ENV YZT_PROFILE=prod \
    YZT_SIMULATORS_ENABLED=false \
    YZT_REDIS_EMBEDDED=false \
    YZT_LOG_FORMAT=json \
    YZT_HTTP_HOST=0.0.0.0 \
    YZT_HTTP_PORT=8080 \
    YZT_HTTP_OPSPORT=9090 \
    YZT_HTTP_OPSHOST=0.0.0.0

USER yzt:yzt
# 9090 is the ops port (/ready, /metrics; SPEC §11): reachable on the container's networks for a
# scraper, never published; the public port 8080 answers those two 404
EXPOSE 8080 5701

# /ready is 200 only while Redis answers and this node's verticles are deployed (SPEC §2.5); the probe is
# a class in the jar that opens one socket (no curl, no Vert.x, no configuration read)
HEALTHCHECK --interval=10s --timeout=4s --start-period=60s --retries=3 \
  CMD ["java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx16m", "-cp", "/opt/yzt/yzt.jar", "org.yzt.cli.ReadyProbe", "9090"]

# SIGTERM (docker stop) lets requests in flight finish and leaves unfinished jobs in Redis: give it 30 s
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/yzt/yzt.jar"]
CMD ["-conf", "/etc/yzt/prod.json"]
