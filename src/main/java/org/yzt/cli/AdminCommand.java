package org.yzt.cli;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code admin ACTION [ARGS]}: operator actions on the running service's Redis (pause-codes,
 * dead-letters, …). A new action is one {@link AdminAction} added to {@link #ACTIONS}.
 */
public final class AdminCommand implements Subcommand {
  static final List<AdminAction> ACTIONS = List.of(
      new PingAction(), new PauseCodesAction(), new ResumeCodesAction(), new DeadLettersAction());

  private final Map<String, AdminAction> actions = new LinkedHashMap<>();

  public AdminCommand() {
    this(ACTIONS);
  }

  AdminCommand(List<AdminAction> list) {
    list.forEach(a -> actions.put(a.name(), a));
  }

  @Override
  public String name() {
    return "admin";
  }

  @Override
  public List<String> usage() {
    List<String> lines = new ArrayList<>();
    actions.values().forEach(a -> a.usage().forEach(u -> lines.add("admin " + u)));
    return lines;
  }

  @Override
  public int run(List<String> args, CliContext context) {
    if (args.isEmpty() || !actions.containsKey(args.get(0))) {
      context.err().println((args.isEmpty() ? "admin needs an action" : "unknown admin action " + args.get(0))
          + "; one of " + String.join(", ", actions.keySet()));
      return USAGE;
    }
    AdminAction action = actions.get(args.get(0));
    try (AdminSession session = new AdminSession(context.config())) {
      Future<List<String>> result = action.run(args.subList(1, args.size()), session);
      result.await(60, TimeUnit.SECONDS).forEach(context.out()::println);
      return OK;
    } catch (CliContext.UsageError e) {
      context.err().println(e.getMessage());
      return USAGE;
    } catch (CliContext.CliFailure e) {
      context.err().println("FAILED " + action.name() + ": " + e.getMessage());
      return FAILED;
    } catch (Exception e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      context.err().println("FAILED " + action.name() + ": " + why);
      return FAILED;
    }
  }

  /** {@code admin ping}: the configured Redis answers (a check that the configuration reaches it). */
  static final class PingAction implements AdminAction {
    @Override
    public String name() {
      return "ping";
    }

    @Override
    public List<String> usage() {
      return List.of("ping                      check that the configured Redis answers");
    }

    @Override
    public Future<List<String>> run(List<String> args, AdminSession session) {
      if (!args.isEmpty()) {
        throw new CliContext.UsageError("admin ping takes no arguments");
      }
      return session.api.ping(List.of()).map(r -> List.of("OK redis answers"));
    }
  }
}
