-- POST /api/v1/sms-codes on a Redis Cluster, its first round trip: the client's per-IP limit
-- (limits.perIp.smsCodes, a hit log of lib/hit_log.lua) and the captcha (consumed), one script in the slot
-- of the client's logs, where a captcha issued to that client is stored (store.RedisKeys#captchaId). The
-- send budgets and the number's step follow in their own slots (sms_budget.lua, sms_code_issue.lua). Only
-- for a client without an IPv6 site (a site's log is in another slot: the separate steps then).
-- KEYS: 1 the client's smsCodes hit log, 2 the captcha
-- ARGV: 1 now_ms (13 digits), 2 the captcha answer's keyed hash ('' when the answer is malformed: the captcha
--       is consumed and refused), 3 '1' when the captcha id is not one of ours (nothing to consume)
-- Constants: IP_WINDOW_MS, IP_MAX.
-- Success path: GET, SET … PX, GETDEL.
-- Returns {'OK', 0}, {'RATE_LIMITED', retry_after_ms, 'client'} or {'CAPTCHA_INVALID', 0}.
local now_s = ARGV[1]
local counted, retry = log_hit(KEYS[1], IP_WINDOW_MS, IP_WINDOW_MS_S, IP_MAX, tonumber(now_s), now_s)
if not counted then return {'RATE_LIMITED', retry, 'client'} end
-- single use: the first attempt consumes the captcha, right or wrong (SPEC §2.1); both sides of == are
-- keyed digests (see query_submit.lua on comparing them)
if ARGV[3] == '1' then return {'CAPTCHA_INVALID', 0} end
local stored = redis.call('GETDEL', KEYS[2])
if not stored or ARGV[2] == '' or stored ~= ARGV[2] then return {'CAPTCHA_INVALID', 0} end
return {'OK', 0}
