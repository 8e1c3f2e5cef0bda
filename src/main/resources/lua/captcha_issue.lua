-- POST /api/v1/captcha in one script, on standalone and Sentinel (one Redis holds every slot): the per-IP
-- limits of the request (limits.perIp.captcha for the client then its IPv6 site, and for a spoken captcha
-- limits.perIp.audioCaptcha the same way after them: SPEC §2.1, §2.6), each a hit log of lib/hit_log.lua
-- counted only when every one before it let the request through, as the limiter's separate calls count
-- them, then the new captcha's keyed answer hash stored for its life. On a Redis Cluster the same for a client
-- without an IPv6 site, the captcha's id naming its logs' slot (store.RedisKeys#captchaId); a client with a
-- site keeps the limiter's round trips and the captcha's SET apart (its site's log is in another slot).
-- KEYS: 1..n the hit logs in the order they are checked, n + 1 the captcha (none: the limits only, for a
--       captcha rendered once they let the request through, when none was ready)
-- ARGV: 1 now_ms (13 digits), 2 the answer's keyed hash ('' with no captcha), 3 the captcha's life in seconds,
--       then for each hit log its window_ms and max
-- Returns {'OK'} or {'RATE_LIMITED', retry_after_ms, i}: the i-th log refused (nothing after it counted,
-- no captcha stored).
-- Success path for an IPv4 client: MGET (the one log), SET … PX, SET … EX.
local now_s = ARGV[1]
local now = tonumber(now_s)
local n = #KEYS
if ARGV[2] ~= '' then n = n - 1 end
local logs, whole = {}, {}
for i = 1, n do
  logs[i] = KEYS[i]
  whole[i] = tonumber(ARGV[3 + 2 * i]) <= LOG_WHOLE_MAX
end
local v = mget_some(logs, whole)
for i = 1, n do
  local window_s, max = ARGV[2 + 2 * i], tonumber(ARGV[3 + 2 * i])
  local window = tonumber(window_s)
  local log = v[i]
  if log == nil then log = log_read(KEYS[i], max) end
  local has_room, retry = log_room(log, window, max, now)
  if not has_room then return {'RATE_LIMITED', retry, i} end
  log_add(KEYS[i], log, window_s, max, now_s)
end
if ARGV[2] ~= '' then redis.call('SET', KEYS[n + 1], ARGV[2], 'EX', ARGV[3]) end
return {'OK'}
