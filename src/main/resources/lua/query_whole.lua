-- POST /api/v1/queries in one script, on standalone and Sentinel (one Redis holds every slot): the per-IP
-- part (lib/query_ip.lua), the client's IPv6 site (SPEC §2.6: only what the /64 let through counts), the
-- number's step (lib/query_submit.lua) and, when the code was wrong or absent, the wrong code counted
-- against the client's address (as code_failure.lua), in the order of SPEC §2.3. A Redis Cluster takes
-- query_ip.lua, the site and query_submit.lua as round trips of their own (SPEC §11).
-- KEYS: 1 the client's query hit log, 2 its wrong-code log, 3 its site's query hit log (KEYS[1] again
--       when it has none), 4.. query_submit.lua's KEYS
-- ARGV: 1 '1' when the client has a site, 2.. query_submit.lua's ARGV (its 3rd, now_ms, is this script's 4th)
-- Constants: lib/query_ip.lua's, lib/query_submit.lua's, SITE_MAX.
-- Returns query_ip.lua's refusal, {'RATE_LIMITED', retry_after_ms, 'queries', 'site'}, or query_submit.lua's answer.
local now_s = ARGV[4]
local now = tonumber(now_s)
local refused = ip_step(KEYS[1], KEYS[2], now, now_s)
if refused then return refused end
if ARGV[1] == '1' then
  local counted, retry = log_hit(KEYS[3], IP_WINDOW_MS, IP_WINDOW_MS_S, SITE_MAX, now, now_s)
  if not counted then return {'RATE_LIMITED', retry, 'queries', 'site'} end
end
local r = number_step({unpack(KEYS, 4)}, {unpack(ARGV, 2)})
if r[1] == 'SMS_CODE_INVALID' or r[1] == 'SMS_CODE_EXPIRED' then
  log_add(KEYS[2], log_read(KEYS[2], FAIL_MAX), FAIL_WINDOW_MS_S, FAIL_MAX, now_s)
end
return r
