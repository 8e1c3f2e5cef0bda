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
-- Success path (the configured limits, a number without a live code): MGET, SET, GETDEL, ZCARD, SET, ZADD, PEXPIRE,
-- HSET, PEXPIRE, SET, SET.
-- Returns {'OK', 0}, {'RATE_LIMITED', retry_after_ms, tier}, {'CAPTCHA_INVALID', 0} or
-- lib/sms_code.lua's and lib/sms_budget.lua's refusals.
local now_s = ARGV[1]
local now = tonumber(now_s)
local site = ARGV[2] == '1'
local K = {KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]}
-- every string the success path looks at, in one MGET (the captcha is taken by GETDEL: it is consumed only
-- once the per-IP limits let the request through); a lifted limit's long log is read by log_read instead
local v = mget_some({KEYS[1], KEYS[2], K[5], K[1], K[2], K[3], KEYS[9]},
  {IP_MAX <= LOG_WHOLE_MAX, site and SITE_MAX <= LOG_WHOLE_MAX, true, true, true, MAX_PER_DAY <= LOG_WHOLE_MAX,
   BLOCK_MAX <= LOG_WHOLE_MAX})
local mine = v[1]
if mine == nil then mine = log_read(KEYS[1], IP_MAX) end
local has_room, retry = log_room(mine, IP_WINDOW_MS, IP_MAX, now)
if not has_room then return {'RATE_LIMITED', retry, 'client'} end
log_add(KEYS[1], mine, IP_WINDOW_MS_S, IP_MAX, now_s)
if site then
  local theirs = v[2]
  if theirs == nil then theirs = log_read(KEYS[2], SITE_MAX) end
  has_room, retry = log_room(theirs, IP_WINDOW_MS, SITE_MAX, now)
  if not has_room then return {'RATE_LIMITED', retry, 'site'} end
  log_add(KEYS[2], theirs, IP_WINDOW_MS_S, SITE_MAX, now_s)
end
-- single use: the first attempt consumes the captcha, right or wrong (SPEC §2.1); both sides of == are
-- keyed digests (see query_submit.lua on comparing them)
if ARGV[4] == '1' then return {'CAPTCHA_INVALID', 0} end
local stored = redis.call('GETDEL', KEYS[3])
if not stored or ARGV[3] == '' or stored ~= ARGV[3] then return {'CAPTCHA_INVALID', 0} end
local refused, daily = code_check_read(K, v[3], v[4], v[5], v[6], now)
if refused then return refused end
refused = budget_reserve(KEYS[9], KEYS[10], now, now_s, ARGV[8], v[7])
if refused then return refused end
code_write(K, daily, now_s, ARGV[5], ARGV[6], ARGV[7])
return {'OK', 0}
