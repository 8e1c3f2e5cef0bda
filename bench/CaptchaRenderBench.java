import com.google.code.kaptcha.impl.DefaultKaptcha;
import com.google.code.kaptcha.util.Config;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.function.IntSupplier;
import javax.imageio.ImageIO;
import org.yzt.captcha.CaptchaImage;

/**
 * Captcha PNGs per second on one thread, ours against Kaptcha 2.3.2 (default configuration:
 * 200 × 50, five characters, water-ripple and shadow; each image encoded to PNG by ImageIO, as a
 * service would send it), side by side in alternating rounds so both see the same machine load.
 * Prints each round, the ratio per round, the median ratio, and thread CPU per image
 * (ThreadMXBean, i.e. /proc/self/task/TID). Run with bench/captcha-render.sh; not a test.
 */
public class CaptchaRenderBench {
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
    DefaultKaptcha kaptcha = new DefaultKaptcha();
    kaptcha.setConfig(new Config(new Properties()));
    IntSupplier ours = () -> CaptchaImage.png(CaptchaImage.randomAnswer()).length;
    IntSupplier theirs = () -> png(kaptcha.createImage(kaptcha.createText())).length;
    // the stricter baseline: Kaptcha's drawing alone, without any encoding
    IntSupplier theirsDrawOnly = () -> kaptcha.createImage(kaptcha.createText()).getWidth();

    System.out.println("warming up both for 2 × " + seconds + " s…");
    for (int i = 0; i < 2; i++) {
      run(ours, seconds);
      run(theirs, seconds);
      run(theirsDrawOnly, seconds);
    }

    List<Double> ratios = new ArrayList<>();
    List<Double> drawOnlyRatios = new ArrayList<>();
    double[] cpu = new double[3];
    double[] rate = new double[3];
    for (int r = 0; r < rounds; r++) {
      // alternate which goes first, so neither always follows the other's garbage
      boolean oursFirst = r % 2 == 0;
      double[] a = run(oursFirst ? ours : theirs, seconds);
      double[] b = run(oursFirst ? theirs : ours, seconds);
      double[] o = oursFirst ? a : b;
      double[] k = oursFirst ? b : a;
      double[] d = run(theirsDrawOnly, seconds);
      ratios.add(o[0] / k[0]);
      drawOnlyRatios.add(o[0] / d[0]);
      rate[2] += d[0];
      cpu[2] += d[1];
      rate[0] += o[0];
      rate[1] += k[0];
      cpu[0] += o[1];
      cpu[1] += k[1];
      System.out.printf("round %d: ours %.0f/s (%.3f ms CPU each, %d bytes), kaptcha+PNG %.0f/s (%.3f ms CPU each, %d bytes), "
          + "kaptcha drawing only %.0f/s: %.2f× and %.2f×%n",
          r + 1, o[0], o[1], (long) o[2], k[0], k[1], (long) k[2], d[0], o[0] / k[0], o[0] / d[0]);
    }
    double median = median(ratios);
    System.out.printf("median ratio vs kaptcha+PNG %.2f× (range %.2f–%.2f), vs kaptcha drawing only %.2f×; "
        + "mean ours %.0f/s, kaptcha+PNG %.0f/s, drawing only %.0f/s; CPU per image ours %.3f ms, kaptcha+PNG %.3f ms, "
        + "drawing only %.3f ms%n",
        median, ratios.get(0), ratios.get(ratios.size() - 1), median(drawOnlyRatios), rate[0] / rounds,
        rate[1] / rounds, rate[2] / rounds, cpu[0] / rounds, cpu[1] / rounds, cpu[2] / rounds);
  }

  /** Images per second, thread CPU ms per image, and bytes per image over {@code seconds}. */
  private static double[] run(IntSupplier render, double seconds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    long until = t0 + (long) (seconds * 1e9);
    long n = 0;
    long bytes = 0;
    while (System.nanoTime() < until) {
      bytes += render.getAsInt();
      n++;
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    double cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
    return new double[] {n / secs, cpuMs / n, bytes / (double) n};
  }

  private static double median(List<Double> values) {
    Collections.sort(values);
    int n = values.size();
    return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
  }

  private static byte[] png(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
