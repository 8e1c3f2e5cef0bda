import java.util.concurrent.TimeUnit;
import org.yzt.captcha.CaptchaImage;

/**
 * How many captcha PNGs one thread draws per second (random answers, as in image mode).
 * Run with bench/captcha-render.sh; not a test.
 */
public class CaptchaRenderBench {
  public static void main(String[] args) {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
    long warmupUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < warmupUntil) {
      CaptchaImage.png(CaptchaImage.randomAnswer());
    }
    long n = 0;
    long bytes = 0;
    long t0 = System.nanoTime();
    long until = t0 + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < until) {
      bytes += CaptchaImage.png(CaptchaImage.randomAnswer()).length;
      n++;
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%d images in %.1f s: %.0f images/s on one thread, %.2f ms each, %d bytes on average%n",
        n, secs, n / secs, secs * 1000 / n, bytes / n);
  }
}
