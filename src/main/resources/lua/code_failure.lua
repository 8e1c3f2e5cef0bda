-- Counts one wrong or expired code against the client address that sent it (limits.perIp.codeFailures,
-- SPEC §10), after the number's step refused the code: a hit log of lib/hit_log.lua.
-- KEYS: 1 the client's wrong-code log; ARGV: 1 now_ms (13 digits)
-- Constants (NAME and NAME_S): FAIL_WINDOW_MS, FAIL_MAX. Returns 1.
log_add(KEYS[1], log_read(KEYS[1], FAIL_MAX), FAIL_WINDOW_MS_S, FAIL_MAX, ARGV[1])
return 1
