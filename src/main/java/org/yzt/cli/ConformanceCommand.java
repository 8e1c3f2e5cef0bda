package org.yzt.cli;

import java.util.List;
import org.yzt.common.Phone;

/**
 * {@code conformance --role carrier|enterprise|sms --url BASE --key-id ID --secret S [--phone N]
 * [--timeout-ms MS]}: checks a partner's endpoint as the service calls it (SPEC §12), one line per
 * check, exit 0 only when every check passes. Needs no configuration and no Redis.
 */
final class ConformanceCommand implements Subcommand {
  static final String DEFAULT_PHONE = "13800138000";
  static final long DEFAULT_TIMEOUT_MS = 3000;

  @Override
  public String name() {
    return "conformance";
  }

  @Override
  public List<String> usage() {
    return List.of("conformance --role carrier|enterprise|sms --url BASE --key-id ID --secret S [--phone N] [--timeout-ms MS]",
        "                          check a partner's endpoint: signed request answered, bad signature, stale",
        "                          timestamp and replayed nonce refused (401), unknown fields tolerated");
  }

  @Override
  public int run(List<String> args, CliContext context) {
    String role = null;
    String url = null;
    String keyId = null;
    String secret = null;
    String phone = DEFAULT_PHONE;
    long timeoutMs = DEFAULT_TIMEOUT_MS;
    try {
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (i + 1 >= args.size()) {
          throw new CliContext.UsageError(a + " needs a value (see --help)");
        }
        String v = args.get(++i);
        switch (a) {
          case "--role" -> role = v;
          case "--url" -> url = v;
          case "--key-id" -> keyId = v;
          case "--secret" -> secret = v;
          case "--phone" -> phone = v;
          case "--timeout-ms" -> timeoutMs = positive(v);
          default -> throw new CliContext.UsageError("unknown option " + a + " (see --help)");
        }
      }
      PartnerRole r = PartnerRole.of(role == null ? "" : role);
      if (r == null) {
        throw new CliContext.UsageError("--role must be carrier, enterprise or sms");
      }
      if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
        throw new CliContext.UsageError("--url must be the partner's http(s) base URL");
      }
      if (keyId == null || keyId.isBlank() || secret == null || secret.isEmpty()) {
        throw new CliContext.UsageError("--key-id and --secret are required");
      }
      String normalized = Phone.normalize(phone);
      if (normalized == null) {
        throw new CliContext.UsageError("--phone must be a mainland mobile number");
      }
      List<ConformanceRun.Result> results = new ConformanceRun(r, url, keyId, secret, normalized, timeoutMs).run();
      results.forEach(res -> context.out().println(res.line()));
      return results.stream().allMatch(ConformanceRun.Result::passed) ? OK : FAILED;
    } catch (CliContext.UsageError e) {
      context.err().println(e.getMessage());
      return USAGE;
    }
  }

  private static long positive(String v) {
    try {
      long n = Long.parseLong(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new CliContext.UsageError("--timeout-ms must be a positive number of milliseconds");
  }
}
