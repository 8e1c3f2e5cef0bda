import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.concurrent.TimeUnit;

/**
 * The platform's limit for the front door (issue 11): a bare Vert.x server whose one route does one
 * EVALSHA of an INCR+EXPIRE script per POST and answers 202 with a small JSON body. No router, no
 * metrics, no event bus. Built from target/yzt.jar's classpath, so Vert.x and the Redis client are
 * exactly the BOM's versions:
 *   java -cp target/yzt.jar bench/baseline/Baseline.java PORT REDIS_URL INSTANCES
 */
public class Baseline {
  static final String SCRIPT = "local n = redis.call('INCR', KEYS[1]) redis.call('EXPIRE', KEYS[1], 60) return n";

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String url = args[1];
    int instances = Integer.parseInt(args[2]);
    Vertx vertx = Vertx.vertx();
    // one client shared by all instances, sized as the service sizes its own (RedisSetup defaults)
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
        .setMaxPoolSize(32).setMaxPoolWaiting(2048).setMaxWaitingHandlers(4096));
    String sha = redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(SCRIPT))
        .await(10, TimeUnit.SECONDS).toString();
    vertx.deployVerticle(() -> new Front(redis, sha, port), new DeploymentOptions().setInstances(instances))
        .await(30, TimeUnit.SECONDS);
    System.out.println("baseline listening on " + port + " with " + instances + " instances");
  }

  static final class Front extends VerticleBase {
    private final Redis redis;
    private final String sha;
    private final int port;

    Front(Redis redis, String sha, int port) {
      this.redis = redis;
      this.sha = sha;
      this.port = port;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer().requestHandler(req -> req.body()
          .compose(body -> redis.send(Request.cmd(Command.EVALSHA).arg(sha).arg(1).arg("bench:hits")))
          .onSuccess(n -> req.response().setStatusCode(202).putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("n", n.toLong()).encode()))
          .onFailure(err -> req.response().setStatusCode(503).end()))
          .listen(port);
    }
  }
}
