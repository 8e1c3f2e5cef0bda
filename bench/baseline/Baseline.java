import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The platform's limit for the front door (issue 11): a bare Vert.x server whose one route does one
 * EVALSHA of an INCR+EXPIRE script per POST and answers 202 with a small JSON body. No router, no
 * metrics, no event bus. Built from target/yzt.jar's classpath, so Vert.x and the Redis client are
 * exactly the BOM's versions:
 *   java -cp target/yzt.jar bench/baseline/Baseline.java PORT REDIS_URL INSTANCES [--pool] [FLOOR.lua [CLIENTS]]
 * Each instance sends on one Redis connection of its own with many commands in flight, as our query
 * verticle does (MultiplexedRedis, since 2f9ae6b): Redis then reads and answers several commands per
 * system call. With --pool, each command borrows a pooled connection instead (one command per
 * connection at a time: more system calls in Redis), as the baseline did before 2026-12-06.
 * With FLOOR.lua, the same bare server runs that script instead, with the keys and arguments of an
 * accepted query shaped as ours sends them (6 keys, 6 arguments, of the same lengths; a new number per
 * request, the client address one of CLIENTS in turn): the Redis work of a submission without our JVM
 * side (no JSON, no crypto, no event bus), i.e. the ceiling any front door doing that work can reach.
 */
public class Baseline {
  static final String SCRIPT = "local n = redis.call('INCR', KEYS[1]) redis.call('EXPIRE', KEYS[1], 60) return n";

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String url = args[1];
    int instances = Integer.parseInt(args[2]);
    List<String> rest = new ArrayList<>(List.of(args).subList(3, args.length));
    boolean pooled = rest.remove("--pool");
    String floorFile = rest.isEmpty() ? null : rest.get(0);
    String floor = floorFile == null ? null : Files.readString(Path.of(floorFile));
    int clients = rest.size() > 1 ? Math.max(1, Integer.parseInt(rest.get(1))) : 1;
    Vertx vertx = Vertx.vertx();
    // one client shared by all instances, sized as the service sizes its own (RedisSetup defaults)
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
        .setMaxPoolSize(32).setMaxPoolWaiting(2048).setMaxWaitingHandlers(4096));
    String sha = redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(floor == null ? SCRIPT : floor))
        .await(10, TimeUnit.SECONDS).toString();
    AtomicInteger instance = new AtomicInteger();
    vertx.deployVerticle(() -> new Front(redis, pooled, sha, port, floor != null, instance.getAndIncrement(), clients),
        new DeploymentOptions().setInstances(instances)).await(30, TimeUnit.SECONDS);
    System.out.println((floor == null ? "baseline" : "floor " + floorFile) + " listening on " + port
        + " with " + instances + " instances, " + (pooled ? "pooled connections" : "a connection each"));
  }

  static final class Front extends VerticleBase {
    // a sealed {"phone","idLast6"} is 103 characters of base64url, as PersonalData.encrypt makes it
    private static final String SEALED = "x".repeat(103);
    private final Redis redis;
    private final boolean pooled;
    private RedisConnection own;
    private final String sha;
    private final int port;
    private final boolean floor;
    private final long base;
    private final int clients;
    private long n;

    Front(Redis redis, boolean pooled, String sha, int port, boolean floor, int instance, int clients) {
      this.redis = redis;
      this.pooled = pooled;
      this.sha = sha;
      this.port = port;
      this.floor = floor;
      this.base = (System.currentTimeMillis() % 100_000) * 100_000_000L + instance * 10_000_000_000_000L;
      this.clients = clients;
    }

    @Override
    public Future<?> start() {
      Future<?> connected = pooled ? Future.succeededFuture() : redis.connect().onSuccess(c -> own = c);
      return connected.compose(c -> vertx.createHttpServer().requestHandler(req -> req.body()
          .compose(body -> send(floor ? submission() : Request.cmd(Command.EVALSHA).arg(sha).arg(1).arg("bench:hits")))
          .onSuccess(n -> req.response().setStatusCode(202).putHeader("Content-Type", "application/json")
              .end(floor ? new JsonObject().put("status", "ACCEPTED").encode() : new JsonObject().put("n", n.toLong()).encode()))
          .onFailure(err -> req.response().setStatusCode(503).end()))
          .listen(port));
    }

    private Future<Response> send(Request request) {
      return pooled ? redis.send(request) : own.send(request);
    }

    /** lua/query_submit.lua's layout (KEYS 1–6, ARGV 1–6) with key names and values of ours' lengths. */
    private Request submission() {
      long i = base + n++;
      String number = String.format("%022d", i); // a phone token is 22 characters (16 bytes, base64url)
      String client = String.format("%022d", i % clients);
      long now = System.currentTimeMillis();
      return Request.cmd(Command.EVALSHA).arg(sha).arg(6)
          .arg("yzt:code:" + number).arg("yzt:win:" + number).arg("yzt:job:" + number).arg("yzt:jobs")
          .arg("yzt:rl4:queries:" + client).arg("yzt:rl4:codeFailures:" + client)
          .arg("h".repeat(43)).arg(number).arg(Long.toString(now)).arg(Long.toString(now + 172_800_000L))
          .arg(SEALED).arg("r".repeat(16));
    }
  }
}
