-- A per-client limit of SPEC §5 (limits.perIp.<bucket>) on a hit log of lib/hit_log.lua: one hit is
-- counted unless `max` already fall in the last `window` ms. GET and SET … PX for a log of up to
-- LOG_WHOLE_MAX slots (the header ring it replaced also took TIME and formatted its header per hit).
-- KEYS: 1 the client's hit log
-- ARGV: 1 window_ms, 2 max, 3 now_ms (the caller's clock, 13 digits, as the submission's per-IP logs:
--       NTP-synchronised gateways; a skew of d ms loosens the window by d)
-- Returns {1, remaining} when the hit is counted, {0, retry_after_ms} when refused.
local window, max, now_s = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local now = tonumber(now_s)
local counted, v = log_hit(KEYS[1], window, ARGV[1], max, now, now_s)
if not counted then return {0, v} end
return {1, log_remaining(KEYS[1], v, window, max, now)}
