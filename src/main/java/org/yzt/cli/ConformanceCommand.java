package org.yzt.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yzt.privacy.IdNumber;
import org.yzt.privacy.PersonName;
import org.yzt.privacy.Phone;

/**
 * {@code conformance --role carrier|enterprise|sms --url BASE --key-id ID --secret S | --secret-file F
 * [--phone N] [--name NAME --id-number ID] [--timeout-ms MS]}: checks a partner's endpoint as the service
 * calls it (SPEC §12), one line per check, exit 0 only when every check passes. Needs no configuration
 * and no Redis.
 *
 * <p>The secret may come from a file or from {@code YZT_CONFORMANCE_SECRET}, since a command line is
 * in every local user's process list. Against {@code https://} (a real partner) {@code --phone} is
 * required: the demo number belongs to someone, and a real gateway texts it; so are {@code --name}
 * and {@code --id-number} for a carrier's phone-card calls.
 */
final class ConformanceCommand implements Subcommand {
  static final String DEFAULT_PHONE = "13800138000";
  static final long DEFAULT_TIMEOUT_MS = 3000;
  static final String SECRET_ENV = "YZT_CONFORMANCE_SECRET";
  /** A secret file larger than this is not a secret file. */
  private static final long MAX_SECRET_FILE_BYTES = 4096;
  static final String DEFAULT_NAME = "张三";
  static final String DEFAULT_ID_NUMBER = "11010519491231002X";

  @Override
  public String name() {
    return "conformance";
  }

  @Override
  public List<String> usage() {
    return List.of("conformance --role carrier|enterprise|sms --url BASE --key-id ID",
        "            (--secret-file F | --secret S | env " + SECRET_ENV + ") [--phone N]",
        "            [--name NAME --id-number ID] [--timeout-ms MS]",
        "                          check a partner's endpoint: signed request answered, bad signature, stale",
        "                          timestamp and replayed nonce refused (401), unknown fields tolerated; a",
        "                          carrier's verify, verify-identity and card-count; --phone (and for a",
        "                          carrier --name and --id-number) required against https://");
  }

  @Override
  public int run(List<String> args, CliContext context) {
    String role = null;
    String url = null;
    String keyId = null;
    String secret = null;
    String secretFile = null;
    String phone = null;
    String name = null;
    String idNumber = null;
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
          case "--secret-file" -> secretFile = v;
          case "--phone" -> phone = v;
          case "--name" -> name = v;
          case "--id-number" -> idNumber = v;
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
      if (secret != null && secretFile != null) {
        throw new CliContext.UsageError("give --secret or --secret-file, not both");
      }
      if (secretFile != null) {
        secret = readSecret(secretFile);
      } else if (secret == null) {
        secret = context.env().get(SECRET_ENV);
      }
      if (keyId == null || keyId.isBlank() || secret == null || secret.isEmpty()) {
        throw new CliContext.UsageError("--key-id and a secret (--secret-file, " + SECRET_ENV + " or --secret) are required");
      }
      if (phone == null && url.startsWith("https://")) {
        throw new CliContext.UsageError("--phone is required against https:// (a real partner: name a number you may text)");
      }
      String normalized = Phone.normalize(phone == null ? DEFAULT_PHONE : phone);
      if (normalized == null) {
        throw new CliContext.UsageError("--phone must be a mainland mobile number");
      }
      PartnerRole.Probe probe = probe(r, url, normalized, name, idNumber);
      List<ConformanceRun.Result> results = new ArrayList<>();
      for (PartnerRole endpoint : r.endpoints()) {
        results.addAll(new ConformanceRun(endpoint, url, keyId, secret, probe, timeoutMs).run());
      }
      results.forEach(res -> context.out().println(res.line()));
      return results.stream().allMatch(ConformanceRun.Result::passed) ? OK : FAILED;
    } catch (CliContext.UsageError e) {
      context.err().println(e.getMessage());
      return USAGE;
    }
  }

  /** The file's content without a final line break; a usage error when it cannot be read. */
  private static String readSecret(String file) {
    Path p = Path.of(file);
    try {
      if (!Files.isRegularFile(p) || Files.size(p) > MAX_SECRET_FILE_BYTES) {
        throw new CliContext.UsageError("--secret-file must name a small regular file");
      }
      return Files.readString(p, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", "");
    } catch (IOException | RuntimeException e) {
      if (e instanceof CliContext.UsageError u) {
        throw u;
      }
      throw new CliContext.UsageError("--secret-file cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * Whom a carrier's phone-card calls ask about: {@code --name} and {@code --id-number}, required against
   * an https:// URL (a real carrier: a real subscriber the partner agreed to), else the SPEC's example.
   */
  private static PartnerRole.Probe probe(PartnerRole role, String url, String phone, String name, String idNumber) {
    if (role != PartnerRole.CARRIER) {
      return new PartnerRole.Probe(phone, null, null);
    }
    if (url.startsWith("https://") && (name == null || idNumber == null)) {
      throw new CliContext.UsageError("--name and --id-number are required against an https:// URL");
    }
    String n = PersonName.normalize(name == null ? DEFAULT_NAME : name);
    IdNumber.Checked id = IdNumber.check(idNumber == null ? DEFAULT_ID_NUMBER : idNumber);
    if (n == null) {
      throw new CliContext.UsageError("--name must be 2-30 letters, middle dots or single spaces");
    }
    if (!id.valid()) {
      throw new CliContext.UsageError("--id-number must be an 18-character resident ID number");
    }
    return new PartnerRole.Probe(phone, n, id.value());
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
