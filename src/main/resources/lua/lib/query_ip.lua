-- The per-client-IP part of POST /api/v1/queries (SPEC §2.3, §10), shared by query_ip.lua (its own round
-- trip in the slot of the client's token) and query_whole.lua (standalone and Sentinel): counts the hit
-- against limits.perIp.queries, then refuses an address that sent too many wrong codes
-- (limits.perIp.codeFailures) before any code is looked at. Both logs are hit logs of lib/hit_log.lua
-- and take the caller's clock.
-- Constants (NAME and NAME_S, see RedisScript): IP_WINDOW_MS, IP_MAX, FAIL_WINDOW_MS, FAIL_MAX.

-- nil when the query may go on, else {'RATE_LIMITED', retry_after_ms, bucket}.
local function ip_step(khits, kfail, now, now_s)
  local hits, failures = log_read_pair(khits, IP_MAX, kfail, FAIL_MAX)
  local allowed, retry = log_room(hits, IP_WINDOW_MS, IP_MAX, now)
  if not allowed then return {'RATE_LIMITED', retry, 'queries'} end
  log_add(khits, hits, IP_WINDOW_MS_S, IP_MAX, now_s)
  allowed, retry = log_room(failures, FAIL_WINDOW_MS, FAIL_MAX, now)
  if not allowed then return {'RATE_LIMITED', retry, 'codeFailures'} end
  return nil
end
