package org.yzt.config;

import io.vertx.core.json.JsonObject;

/**
 * {@code simulators.*} (SPEC §5): the dev profile's in-process peers.
 *
 * @param enabled         whether the simulated carriers, enterprises and SMS gateway run (never in prod)
 * @param port            where they listen, on 127.0.0.1
 * @param subscribersFile the demo subscribers they answer for
 * @param latencyMs       added to every answer
 * @param maxNonces       nonces each simulated peer remembers; a full cache refuses with 503
 * @param inboxPerNumber  {@code smsInbox.perNumber}: texts the dev inbox keeps per number
 * @param inboxMaxNumbers {@code smsInbox.maxNumbers}: numbers it keeps texts for
 * @param inboxMaxMessages {@code smsInbox.maxMessages}: texts it keeps in all
 */
public record SimulatorsConfig(boolean enabled, int port, String subscribersFile, long latencyMs, int maxNonces,
    int inboxPerNumber, int inboxMaxNumbers, int inboxMaxMessages) {
  private static final String S = "simulators";

  public static SimulatorsConfig from(JsonObject config) {
    JsonObject s = ConfigValues.section(config, S);
    JsonObject inbox = ConfigValues.section(s, S, "smsInbox");
    String i = S + ".smsInbox";
    return new SimulatorsConfig(
        ConfigValues.flag(s, S, "enabled", true),
        ConfigValues.intAtLeast(s, S, "port", 0, 18181),
        ConfigValues.text(s, S, "subscribersFile", "conf/sim-subscribers.json"),
        ConfigValues.atLeast(s, S, "latencyMs", 0, 0),
        ConfigValues.intAtLeast(s, S, "maxNonces", 1, 100_000),
        ConfigValues.intAtLeast(inbox, i, "perNumber", 1, 50),
        ConfigValues.intAtLeast(inbox, i, "maxNumbers", 1, 100_000),
        ConfigValues.intAtLeast(inbox, i, "maxMessages", 1, 200_000));
  }
}
