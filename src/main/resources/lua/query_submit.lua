-- Accepts a query: idempotency, per-client-IP limits, SMS code check, per-number window, durable job
-- and stream entry, all in one atomic step and one round trip, so no accepted query is lost and no
-- window is taken without a job. An idempotent repeat is answered here too (first thing, before any
-- limit), so it is one round trip as well.
-- KEYS: 1 code hash, 2 query window, 3 job hash, 4 job stream, 5 client IP hit log, 6 client IP
--       wrong-code log (both logs of lib/hit_log.lua), [7 idempotency record: only with an Idempotency-Key]
-- ARGV: 1 code_hash, 2 query_id, 3 now_ms (the caller's clock, 13 digits), 4 deadline_ms,
--       5 sealed personal data, 6 request id,
--       [with KEYS[7]: 7 keyed body hash (never a plain digest), 8 response json],
--       [last: the request's W3C traceparent, only when it is traced (SPEC §11): the job's 'tp']
-- Constants, written in front by RedisScript from the node's configuration, each a number NAME and the
-- same as a string NAME_S (a command's argument): WINDOW_MS (limits.queryWindowSeconds), IP_WINDOW_MS
-- and IP_MAX (limits.perIp.queries), FAIL_WINDOW_MS and FAIL_MAX (limits.perIp.codeFailures),
-- IDEMPOTENCY_TTL_MS, JOB_TTL_MS (pipeline.deadlineSeconds and the 7 days the record is kept after the
-- deadline: the record's life from now, within the second the deadline is rounded to). As arguments
-- they cost Redis their parsing, a Lua string and a tonumber on every call; in the source they are
-- made once, when the script is loaded.
-- Returns {'OK'}, {'REPLAY', response}, {'IDEMPOTENCY_KEY_REUSED'}, {'RATE_LIMITED', retry_after_ms, bucket},
--         {'SMS_CODE_EXPIRED'}, {'SMS_CODE_INVALID', remaining}, {'QUERY_LIMIT', retry_after_ms}.
-- Success path: both logs (one MGET), the hit log's SET … PX, HGET, SET … NX PX, DEL, HSET, PEXPIRE,
-- XADD: eight commands (logs above LOG_WHOLE_MAX slots are read and written by ranges). Optional KEYS and
-- ARGV come last and are left out when unused.
-- The per-IP logs take the caller's clock (no TIME): the gateways' clocks are NTP-synchronised, and a
-- skew of d ms between two of them loosens "at most max in any window" to "in any window - d"; the
-- code's life and the number's window are Redis TTLs and do not depend on it.

-- The stored code and the caller's are compared with ==, as are the two body hashes: both sides are
-- keyed digests (HMAC under the node's secret), and Lua 5.1 interns every string, so == compares two
-- addresses. The only byte comparison is the interning of the HGET reply against strings of its hash
-- bucket, before any Lua code sees it: hashing both sides first (redis.sha1hex) cannot hide it and costs
-- Redis work on every submission (bench/README.md: code choices). What timing could tell, at most, is how many leading
-- characters two HMAC outputs share, which says nothing about any other guess without the key.

local idempotent = KEYS[7] ~= nil
if idempotent then
  local prev = redis.call('HMGET', KEYS[7], 'b', 'r')
  if prev[1] then
    if prev[1] == ARGV[7] then return {'REPLAY', prev[2]} end
    return {'IDEMPOTENCY_KEY_REUSED'}
  end
end

local now_s = ARGV[3]
local now = tonumber(now_s)
local hits, failures = log_read_pair(KEYS[5], IP_MAX, KEYS[6], FAIL_MAX)
local allowed, retry = log_room(hits, IP_WINDOW_MS, IP_MAX, now)
if not allowed then return {'RATE_LIMITED', retry, 'queries'} end
log_add(KEYS[5], hits, IP_WINDOW_MS_S, IP_MAX, now_s)
-- an address that sent too many wrong codes is refused before any code is looked at (SPEC §10)
allowed, retry = log_room(failures, FAIL_WINDOW_MS, FAIL_MAX, now)
if not allowed then return {'RATE_LIMITED', retry, 'codeFailures'} end

local code = redis.call('HGET', KEYS[1], 'h')
if not code then
  log_add(KEYS[6], failures, FAIL_WINDOW_MS_S, FAIL_MAX, now_s)
  return {'SMS_CODE_EXPIRED'}
end
if code ~= ARGV[1] then
  log_add(KEYS[6], failures, FAIL_WINDOW_MS_S, FAIL_MAX, now_s)
  local left = redis.call('HINCRBY', KEYS[1], 'a', -1)
  if left <= 0 then
    redis.call('DEL', KEYS[1])
    left = 0
  end
  return {'SMS_CODE_INVALID', left}
end

-- the window starts only if none is running; otherwise its time left is the answer and the code stays
if not redis.call('SET', KEYS[2], ARGV[2], 'PX', WINDOW_MS_S, 'NX') then
  local w = redis.call('PTTL', KEYS[2])
  if w < 0 then w = WINDOW_MS end
  return {'QUERY_LIMIT', w}
end
redis.call('DEL', KEYS[1])
-- no 'ua': it would equal 'ca' until the job moves, and a status reads 'ca' in its place (every node since
-- f318c72 does; a rolling upgrade goes through that release first)
local tp = ARGV[idempotent and 9 or 7]
if tp then
  redis.call('HSET', KEYS[3], 'st', 'ACCEPTED', 'ca', now_s, 'dl', ARGV[4], 'pd', ARGV[5], 'rid', ARGV[6], 'tp', tp)
else
  redis.call('HSET', KEYS[3], 'st', 'ACCEPTED', 'ca', now_s, 'dl', ARGV[4], 'pd', ARGV[5], 'rid', ARGV[6])
end
redis.call('PEXPIRE', KEYS[3], JOB_TTL_MS_S)
redis.call('XADD', KEYS[4], '*', 'q', ARGV[2])
if idempotent then
  redis.call('HSET', KEYS[7], 'b', ARGV[7], 'r', ARGV[8])
  redis.call('PEXPIRE', KEYS[7], IDEMPOTENCY_TTL_MS_S)
end
return {'OK'}
