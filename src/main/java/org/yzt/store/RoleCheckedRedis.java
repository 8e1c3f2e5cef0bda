package org.yzt.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared client in Sentinel mode, checking that the node it was given is a primary (SPEC §11;
 * Sentinel's client guidelines ask for a ROLE check after every resolution). vertx-redis-client
 * asks the first sentinel of its list that answers and trusts it. A sentinel that missed a failover
 * (cut off from the data nodes' hello channel, or restarted with an old configuration) goes on
 * naming the demoted primary, now a replica: every write is then refused READONLY or, on a replica
 * with {@code replica-read-only no}, lands on the wrong node and is lost at its next resync.
 *
 * <p>5.0.10 has no public hook on a new connection (its one setup command is an internal SELECT),
 * nor a public way to forget its cached topology or evict pooled connections, so the check sits
 * around the client: {@code ROLE} of the node its commands reach, every {@code redis.roleCheckMs}
 * and after any READONLY reply. When that node is no primary, the client is replaced by a new one
 * (no topology cached, no pooled connection) whose sentinel list starts with the next sentinel, so
 * the one that named a replica is asked last. The old client is closed once commands in flight on it
 * had their time ({@code commandTimeoutMs}): they end as they would have (READONLY is a 503), and
 * connections borrowed from it (a worker's multiplexed connection) end and are opened again here.
 */
public final class RoleCheckedRedis implements Redis {
  private static final Logger LOG = LoggerFactory.getLogger(RoleCheckedRedis.class);
  /**
   * At most one replacement in this time: the pace at which the client asks the sentinels again on
   * its own, and a bound on clients made while every sentinel names a replica (a READONLY storm).
   */
  static final long MIN_REPLACEMENT_GAP_MS = 1000;

  private final Vertx vertx;
  private final RedisOptions options;
  private final long graceMs;
  private final Counter mismatches;
  private final AtomicBoolean checking = new AtomicBoolean();
  private final long timer;
  private volatile Redis current;
  private volatile List<String> endpoints;
  private volatile boolean closed;
  // written only by the one check that runs at a time (the compare-and-set on checking orders them)
  private boolean mismatched;
  private boolean uncheckable;
  private long replacedAt;

  /**
   * @param options      Sentinel client options ({@link RedisSetup#options})
   * @param checkEveryMs period of the ROLE check; 0: only after a READONLY reply
   * @param graceMs      time given to commands in flight on a replaced client, and to one ROLE check
   */
  public RoleCheckedRedis(Vertx vertx, RedisOptions options, long checkEveryMs, long graceMs, MeterRegistry registry) {
    this.vertx = vertx;
    this.options = new RedisOptions(options);
    this.graceMs = graceMs;
    this.endpoints = List.copyOf(options.getEndpoints());
    this.current = Redis.createClient(vertx, this.options);
    this.mismatches = Counter.builder("yzt.redis.role.mismatches")
        .description("times the node the sentinels named as primary answered ROLE as no primary (its client was replaced)")
        .register(registry);
    this.timer = checkEveryMs > 0 ? vertx.setPeriodic(checkEveryMs, t -> check()) : -1;
  }

  @Override
  public Future<RedisConnection> connect() {
    return current.connect().map(c -> new WatchedConnection(c, this::onFailure));
  }

  @Override
  public Future<Response> send(Request request) {
    return current.send(request).onFailure(this::onFailure);
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    return current.batch(requests).onFailure(this::onFailure);
  }

  @Override
  public Future<Void> close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return current.close();
  }

  /** A READONLY reply: the node is a replica now, so check without waiting for the period. */
  private void onFailure(Throwable err) {
    if (isReadOnly(err)) {
      check();
    }
  }

  /** An error reply of Redis saying the node does not take writes (a replica). */
  static boolean isReadOnly(Throwable err) {
    return isReply(err, "READONLY");
  }

  private static boolean isReply(Throwable err, String prefix) {
    // Redis error replies are a Response (ErrorType, no Exception): match the reply's prefix
    return err instanceof Response && err.getMessage() != null && err.getMessage().startsWith(prefix);
  }

  /** Asks the node the client's commands reach now for its ROLE; replaces the client when it is no primary. */
  void check() {
    if (closed || !checking.compareAndSet(false, true)) {
      return;
    }
    if (System.currentTimeMillis() - replacedAt < MIN_REPLACEMENT_GAP_MS) {
      checking.set(false);
      return;
    }
    Redis client = current;
    roleOf(client)
        .compose(role -> {
          if ("master".equals(role)) {
            if (mismatched) {
              mismatched = false;
              LOG.info("event=redis.role_ok the node the sentinels name as primary is one again");
            }
            return Future.<Void>succeededFuture();
          }
          return replace(client, role);
        })
        .onFailure(err -> {
          // a check without an answer proves nothing: a node that is down is the client's own to leave
          if (isReply(err, "NOPERM") && !uncheckable) {
            uncheckable = true;
            LOG.warn("event=redis.role_check_refused the node refuses ROLE and HELLO ({}): the ROLE check cannot "
                + "run for this ACL user", err.getMessage());
          }
        })
        .onComplete(ar -> checking.set(false));
  }

  /**
   * "master", "slave" (ROLE) or "replica" (HELLO): ROLE as Sentinel's client guidelines say, and when
   * the ACL user may not run it (ROLE is in {@code @dangerous}, which operations.md's user lacks unless
   * given {@code +role}) the role field of HELLO's answer, which every user may ask for.
   */
  private Future<String> roleOf(Redis client) {
    return client.send(Request.cmd(Command.ROLE)).timeout(graceMs, TimeUnit.MILLISECONDS)
        .map(reply -> reply == null || reply.size() == 0 ? "" : reply.get(0).toString())
        .recover(err -> {
          if (!isReply(err, "NOPERM")) {
            return Future.failedFuture(err);
          }
          return client.send(Request.cmd(Command.HELLO)).timeout(graceMs, TimeUnit.MILLISECONDS).map(reply -> {
            Response role = reply == null ? null : reply.get("role");
            return role == null ? "" : role.toString();
          });
        });
  }

  private Future<Void> replace(Redis old, String role) {
    mismatches.increment();
    if (!mismatched) {
      mismatched = true;
      // the role only: sentinel URLs may hold credentials
      LOG.warn("event=redis.role_mismatch the node the sentinels named as primary answers ROLE {}: its client is "
          + "replaced and the sentinels asked again, the next one first", role.isEmpty() ? "(none)" : role);
    }
    replacedAt = System.currentTimeMillis();
    List<String> next = rotate(endpoints);
    RedisOptions fresh = new RedisOptions(options).setEndpoints(new ArrayList<>(next));
    // a client with rediss:// reads its trust files when made: not on an event loop
    return vertx.executeBlocking(() -> Redis.createClient(vertx, fresh), false).map(client -> {
      if (closed) {
        client.close();
        return null;
      }
      endpoints = next;
      current = client;
      vertx.setTimer(graceMs, t -> old.close());
      return null;
    });
  }

  /** The list with its first element moved to the end. */
  static List<String> rotate(List<String> list) {
    if (list.size() < 2) {
      return list;
    }
    List<String> rotated = new ArrayList<>(list.subList(1, list.size()));
    rotated.add(list.get(0));
    return List.copyOf(rotated);
  }
}
