import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yzt.captcha.CaptchaImage;

/**
 * Writes N captcha images exactly as the service renders them (random answer, {@link CaptchaImage#png})
 * as DIR/&lt;i&gt;.png, and DIR/answers.txt with lines "&lt;i&gt; &lt;ANSWER&gt;". Run with bench/captcha-samples.sh.
 */
public class CaptchaSamples {
  public static void main(String[] args) throws IOException {
    int n = Integer.parseInt(args[0]);
    Path dir = Files.createDirectories(Path.of(args[1]));
    List<String> answers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String answer = CaptchaImage.randomAnswer();
      Files.write(dir.resolve(i + ".png"), CaptchaImage.png(answer));
      answers.add(i + " " + answer);
    }
    Files.write(dir.resolve("answers.txt"), answers);
    System.out.println(n + " captchas in " + dir + " (answers in " + dir.resolve("answers.txt") + ")");
  }
}
