import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import org.yzt.privacy.PersonalData;
import org.yzt.store.RedisKeys;

/**
 * Writes N live captchas (ids "c" + 21 digits of OFFSET + i, answer YZT8) as Redis protocol on
 * stdout, for {@code redis-cli --pipe}: what N people who have just been shown a captcha look like to
 * the store, so that a benchmark of POST /api/v1/sms-codes measures only that route.
 * Usage: java -cp target/yzt.jar bench/SeedCaptchas.java N OFFSET [base64 dataKey]
 */
public class SeedCaptchas {
  /** CaptchaService's hash purpose and the answer every seeded captcha takes. */
  private static final String PURPOSE = "captcha";
  private static final String ANSWER = "YZT8";

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    long offset = Long.parseLong(args[1]);
    String key = args.length > 2 ? args[2] : "ZGV2LW9ubHktZGF0YS1rZXktY2hhbmdlLWluLXByb2Q=";
    PersonalData pd = new PersonalData(key);
    // the key layout of the shard count the service reads (pipeline.streamShards in conf/config.json)
    int shards = org.yzt.config.PipelineConfig.from(new io.vertx.core.json.JsonObject(
        java.nio.file.Files.readString(java.nio.file.Path.of("conf/config.json"))).getJsonObject("pipeline")).streamShards();
    RedisKeys keys = new RedisKeys(pd, shards);
    String hash = pd.secretHash(PURPOSE, ANSWER);
    try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)) {
      for (long i = offset; i < offset + n; i++) {
        String id = "c" + String.format("%021d", i);
        resp(out, "SET", keys.captcha(id), hash, "EX", "3600");
      }
    }
  }

  private static void resp(BufferedWriter out, String... parts) throws Exception {
    out.write("*" + parts.length + "\r\n");
    for (String p : parts) {
      out.write("$" + p.getBytes(StandardCharsets.UTF_8).length + "\r\n" + p + "\r\n");
    }
  }
}
