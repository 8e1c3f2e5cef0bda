import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.yzt.captcha.SpokenCaptcha;

/**
 * Spoken captchas mixed per second on one thread (SPEC §2.1, {@link SpokenCaptcha#wav} of a random
 * answer, as the pool's workers do), with thread CPU per captcha (ThreadMXBean) and the WAV and
 * data-URL sizes. Prints each round and the median. Run with bench/audio-captcha-render.sh; not a test.
 */
public class SpokenCaptchaRenderBench {
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.out.println("warming up for 2 × " + seconds + " s…");
    run(threads, seconds);
    run(threads, seconds);
    List<Double> rates = new ArrayList<>();
    List<Double> cpus = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      double[] o = run(threads, seconds);
      rates.add(o[0]);
      cpus.add(o[1]);
      System.out.printf("round %d: %.0f captchas/s, %.3f ms CPU each, WAV %.0f bytes (%.2f s), data URL %.0f bytes%n",
          r + 1, o[0], o[1], o[2], (o[2] - 44) / SpokenCaptcha.RATE, 22 + Math.ceil(o[2] / 3) * 4);
    }
    Collections.sort(rates);
    Collections.sort(cpus);
    System.out.printf("median %.0f captchas/s on one thread, %.3f ms CPU per captcha%n",
        rates.get(rates.size() / 2), cpus.get(cpus.size() / 2));
  }

  /** Captchas per second, thread CPU ms per captcha, mean WAV bytes. */
  private static double[] run(ThreadMXBean threads, double seconds) {
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    long until = t0 + (long) (seconds * 1e9);
    long n = 0;
    long bytes = 0;
    while (System.nanoTime() < until) {
      bytes += SpokenCaptcha.wav(SpokenCaptcha.randomAnswer()).length;
      n++;
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    double cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
    return new double[] {n / elapsed, cpuMs / n, (double) bytes / n};
  }
}
