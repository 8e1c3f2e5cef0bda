-- The per-client-IP step of POST /api/v1/queries (SPEC §2.3, §10), in the slot of the client's token,
-- before the number's step (query_submit.lua): counts the hit against limits.perIp.queries, then
-- refuses an address that sent too many wrong codes (limits.perIp.codeFailures) before any code is
-- looked at. Both logs are hit logs of lib/hit_log.lua and take the caller's clock.
-- KEYS: 1 the client's query hit log, 2 its wrong-code log
-- ARGV: 1 now_ms (13 digits)
-- Constants (NAME and NAME_S, see RedisScript): IP_WINDOW_MS, IP_MAX, FAIL_WINDOW_MS, FAIL_MAX.
-- Returns {'OK'} or {'RATE_LIMITED', retry_after_ms, bucket}.
local now_s = ARGV[1]
local now = tonumber(now_s)
local hits, failures = log_read_pair(KEYS[1], IP_MAX, KEYS[2], FAIL_MAX)
local allowed, retry = log_room(hits, IP_WINDOW_MS, IP_MAX, now)
if not allowed then return {'RATE_LIMITED', retry, 'queries'} end
log_add(KEYS[1], hits, IP_WINDOW_MS_S, IP_MAX, now_s)
allowed, retry = log_room(failures, FAIL_WINDOW_MS, FAIL_MAX, now)
if not allowed then return {'RATE_LIMITED', retry, 'codeFailures'} end
return {'OK'}
