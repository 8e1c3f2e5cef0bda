package org.yzt.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulators' routing over real HTTP: which paths reach which handler, with what id and body. */
class SimRoutesTest {
  private static Vertx vertx;
  private HttpServer server;
  private static WebClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  /** Routes made for each test, so that what each test shows covers how they are made too. */
  @BeforeEach
  void routes() throws Exception {
    SimRoutes routes = new SimRoutes((path, traceparent) -> { });
    routes.post("/enterprise/:id/v1/account-count",
        c -> c.response().end("enterprise " + c.id() + " " + c.body().length()));
    routes.post("/sms/v1/sms", c -> c.response().end("sms " + c.id() + " " + c.body().toString()));
    server = vertx.createHttpServer().requestHandler(routes::handle).listen(0).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeServer() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> post(String path, Buffer body) throws Exception {
    return client.post(server.actualPort(), "127.0.0.1", path).sendBuffer(body).await(10, TimeUnit.SECONDS);
  }

  @Test
  void aPathWithAnIdReachesItsHandlerWithTheIdAndTheWholeBody() throws Exception {
    HttpResponse<Buffer> r = post("/enterprise/tencent/v1/account-count", Buffer.buffer("x".repeat(5000)));
    assertEquals(200, r.statusCode());
    assertEquals("enterprise tencent 5000", r.bodyAsString());
    assertEquals("sms null {\"a\":1}", post("/sms/v1/sms", Buffer.buffer("{\"a\":1}")).bodyAsString());
  }

  @Test
  void otherPathsAndMethodsAre404() throws Exception {
    assertEquals(404, post("/enterprise//v1/account-count", Buffer.buffer("{}")).statusCode(), "empty id");
    assertEquals(404, post("/enterprise/a/b/v1/account-count", Buffer.buffer("{}")).statusCode(), "two segments");
    assertEquals(404, post("/enterprise/tencent/v1/account-counts", Buffer.buffer("{}")).statusCode());
    assertEquals(404, post("/sms/v1/sms/x", Buffer.buffer("{}")).statusCode());
    assertEquals(404, client.get(server.actualPort(), "127.0.0.1", "/sms/v1/sms").send()
        .await(10, TimeUnit.SECONDS).statusCode(), "GET");
  }

  @Test
  void aChunkedBodyIsReadWholeAndCutPastTheCap() throws Exception {
    assertEquals("enterprise jd 3000", chunked("/enterprise/jd/v1/account-count", 3, 1000));
    assertEquals("413", chunked("/enterprise/jd/v1/account-count", 17, 4096));
  }

  /** Status 200's body, or the status, of a POST sent in {@code chunks} chunks of {@code size} bytes, no Content-Length. */
  private String chunked(String path, int chunks, int size) throws Exception {
    HttpClientRequest req = vertx.createHttpClient().request(HttpMethod.POST, server.actualPort(), "127.0.0.1", path)
        .await(10, TimeUnit.SECONDS);
    req.setChunked(true);
    // the body is asked for in the response's own callback, on its event loop: asked for later from
    // this thread, its end could already have gone by
    Future<String> answer = req.response().compose(r -> r.statusCode() == 200
        ? r.body().map(Buffer::toString) : Future.succeededFuture(Integer.toString(r.statusCode())));
    for (int i = 0; i < chunks; i++) {
      req.write(Buffer.buffer(new byte[size]));
    }
    req.end();
    return answer.await(10, TimeUnit.SECONDS);
  }

  @Test
  void aBodyOverTheCapIs413() throws Exception {
    assertEquals(413, post("/sms/v1/sms", Buffer.buffer(new byte[SimRoutes.MAX_BODY_BYTES + 1])).statusCode());
    // the cap itself is accepted
    assertEquals(200, post("/enterprise/jd/v1/account-count", Buffer.buffer(new byte[SimRoutes.MAX_BODY_BYTES])).statusCode());
  }
}
