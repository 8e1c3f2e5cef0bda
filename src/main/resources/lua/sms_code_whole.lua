-- POST /api/v1/sms-codes in one script, on standalone and Sentinel (one Redis holds every slot): the
-- per-IP limit (the client, then its IPv6 site), the captcha (consumed), the number's checks, the send
-- budgets and the number's writes, in SPEC §2.2's order, from the parts the separate steps of a Redis
-- Cluster use (lib/hit_log.lua, lib/sms_code.lua, lib/sms_budget.lua). Being one atomic step, nothing
-- is reserved and given back: the budgets are taken only once the number's checks passed.
-- KEYS: 1 the client's smsCodes hit log, 2 its site's (KEYS[1] again when it has none), 3 the captcha,
--       4-8 lib/sms_code.lua's K (window, cooldown, daily log, code hash, pause copy),
--       9 number-block budget log, 10 global budget
-- ARGV: 1 now_ms (13 digits), 2 '1' when the client has a site, 3 the captcha answer's keyed hash ('' when
--       the answer is malformed: the captcha is consumed and refused), 4 '1' when the captcha id is not one
--       of ours (nothing to consume), 5 the code's keyed hash, 6 its field, 7 the other purpose's field,
--       8 the text's member in the global budget
-- Constants: lib/sms_code.lua's and lib/sms_budget.lua's, IP_WINDOW_MS, IP_MAX, SITE_MAX.
-- Returns {'OK', 0}, {'RATE_LIMITED', retry_after_ms, tier}, {'CAPTCHA_INVALID', 0} or
-- lib/sms_code.lua's and lib/sms_budget.lua's refusals.
local now_s = ARGV[1]
local now = tonumber(now_s)
local counted, retry = log_hit(KEYS[1], IP_WINDOW_MS, IP_WINDOW_MS_S, IP_MAX, now, now_s)
if not counted then return {'RATE_LIMITED', retry, 'client'} end
if ARGV[2] == '1' then
  counted, retry = log_hit(KEYS[2], IP_WINDOW_MS, IP_WINDOW_MS_S, SITE_MAX, now, now_s)
  if not counted then return {'RATE_LIMITED', retry, 'site'} end
end
-- single use: the first attempt consumes the captcha, right or wrong (SPEC §2.1); both sides of == are
-- keyed digests (see query_submit.lua on comparing them)
if ARGV[4] == '1' then return {'CAPTCHA_INVALID', 0} end
local stored = redis.call('GETDEL', KEYS[3])
if not stored or ARGV[3] == '' or stored ~= ARGV[3] then return {'CAPTCHA_INVALID', 0} end
local K = {KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]}
local refused, daily = code_check(K, now)
if refused then return refused end
refused = budget_reserve(KEYS[9], KEYS[10], now, now_s, ARGV[8])
if refused then return refused end
code_write(K, daily, now_s, ARGV[5], ARGV[6], ARGV[7])
return {'OK', 0}
