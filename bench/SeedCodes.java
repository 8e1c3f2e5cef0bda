import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import org.yzt.privacy.PersonalData;
import org.yzt.store.RedisKeys;
import org.yzt.contract.SmsCodeSend;

/**
 * Writes live SMS codes for N numbers (13900000000 + i, code 123456) as Redis protocol on stdout, for
 * {@code redis-cli --pipe}: what N people who have just received their code look like to the store.
 * Usage: java -cp target/yzt.jar bench/SeedCodes.java N OFFSET [base64 dataKey]
 */
public class SeedCodes {
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int offset = Integer.parseInt(args[1]);
    String key = args.length > 2 ? args[2] : "ZGV2LW9ubHktZGF0YS1rZXktY2hhbmdlLWluLXByb2Q=";
    PersonalData pd = new PersonalData(key);
    // the key layout of the shard count the service reads (pipeline.streamShards in conf/config.json)
    int shards = org.yzt.config.PipelineConfig.from(new io.vertx.core.json.JsonObject(
        java.nio.file.Files.readString(java.nio.file.Path.of("conf/config.json"))).getJsonObject("pipeline")).streamShards();
    RedisKeys keys = new RedisKeys(pd, shards);
    String hash = pd.secretHash(SmsCodeSend.PURPOSE, "123456");
    try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)) {
      for (int i = offset; i < offset + n; i++) {
        String phone = "139" + String.format("%08d", i);
        String codeKey = keys.smsCode(keys.phoneToken(phone));
        resp(out, "HSET", codeKey, "h", hash, "a", "5");
        resp(out, "EXPIRE", codeKey, "3600");
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
