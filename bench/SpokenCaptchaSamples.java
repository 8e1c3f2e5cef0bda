import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yzt.captcha.SpokenCaptcha;

/**
 * Writes N spoken captchas exactly as the service mixes them (random six digits,
 * {@link SpokenCaptcha#wav}) as DIR/&lt;i&gt;.wav, and DIR/answers.txt with lines "&lt;i&gt; &lt;DIGITS&gt;", for
 * listening and for bench/audio_captcha_solver.py. Run with bench/audio-captcha-samples.sh.
 */
public class SpokenCaptchaSamples {
  public static void main(String[] args) throws IOException {
    int n = Integer.parseInt(args[0]);
    Path dir = Files.createDirectories(Path.of(args[1]));
    List<String> answers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String answer = SpokenCaptcha.randomAnswer();
      Files.write(dir.resolve(i + ".wav"), SpokenCaptcha.wav(answer));
      answers.add(i + " " + answer);
    }
    Files.write(dir.resolve("answers.txt"), answers);
    System.out.println(n + " spoken captchas in " + dir + " (answers in " + dir.resolve("answers.txt") + ")");
  }
}
