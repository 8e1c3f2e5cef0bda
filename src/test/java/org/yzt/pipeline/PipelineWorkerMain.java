package org.yzt.pipeline;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.serviceproxy.ServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yzt.Main;
import org.yzt.contract.Addresses;

/**
 * A separate worker process for {@link WorkerKillTest}: the service started from a complete config
 * file, with {@code yzt.sms.send} forwarded over HTTP to the test's recorder (args: config file,
 * recorder URL).
 */
public final class PipelineWorkerMain {
  private PipelineWorkerMain() {}

  public static void main(String[] args) throws Exception {
    JsonObject config = new JsonObject(Files.readString(Path.of(args[0])));
    String recorder = args[1];
    Main.Running running = Main.start(config, false);
    WebClient client = WebClient.create(running.vertx());
    running.vertx().eventBus().<JsonObject>consumer(Addresses.SMS_SEND, msg -> client.postAbs(recorder)
        .sendJsonObject(msg.body())
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result().statusCode() == 200) {
            msg.reply(new JsonObject().put("messageId", msg.body().getString("messageId")).put("status", "QUEUED"));
          } else {
            msg.reply(new ServiceException(503, "SERVICE_UNAVAILABLE"));
          }
        })).completion().await();
    System.out.println("WORKER READY");
    System.out.flush();
  }
}
