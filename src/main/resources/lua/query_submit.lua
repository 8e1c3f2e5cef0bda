-- Accepts a query: idempotency, per-client-IP limits, SMS code check, per-number window, durable job
-- and stream entry, all in one atomic step and one round trip, so no accepted query is lost and no
-- window is taken without a job. An idempotent repeat is answered here too (first thing, before any
-- limit), so it is one round trip as well.
-- KEYS: 1 idempotency record, 2 code hash, 3 query window, 4 job hash, 5 job stream, 6 client IP hit ring,
--       7 client IP wrong-code ring (both rings of lib/sliding_window.lua)
-- ARGV: 1 has_idempotency_key ('1'|'0'), 2 keyed body hash (never a plain digest), 3 code_hash, 4 query_id, 5 window_ms,
--       6 now_ms, 7 deadline_ms, 8 job_expire_at_ms, 9 sealed personal data, 10 request id,
--       11 response json, 12 idempotency_ttl_ms, 13 ip_window_ms, 14 ip_max,
--       15 wrong_code_window_ms, 16 wrong_code_max
-- Returns {'OK'}, {'REPLAY', response}, {'IDEMPOTENCY_KEY_REUSED'}, {'RATE_LIMITED', retry_after_ms, bucket},
--         {'SMS_CODE_EXPIRED'}, {'SMS_CODE_INVALID', remaining}, {'QUERY_LIMIT', retry_after_ms}.
-- Success path: TIME, both rings (one MGET), the hit ring's SET … PX, HGET, SET … NX PX, DEL, HSET,
-- PEXPIREAT, XADD: nine commands (rings above RING_WHOLE_MAX slots are read and written by ranges).
local byte, bxor, bor = string.byte, bit.bxor, bit.bor

local function same(a, b)
  -- constant time: the comparison costs the same wherever the first difference is
  if #a ~= #b then return false end
  local d = 0
  for i = 1, #a do d = bor(d, bxor(byte(a, i), byte(b, i))) end
  return d == 0
end

local idempotent = ARGV[1] == '1'
if idempotent then
  local prev = redis.call('HMGET', KEYS[1], 'b', 'r')
  if prev[1] then
    if same(prev[1], ARGV[2]) then return {'REPLAY', prev[2]} end
    return {'IDEMPOTENCY_KEY_REUSED'}
  end
end

local now = now_ms()
local ip_window, ip_max = tonumber(ARGV[13]), tonumber(ARGV[14])
local fail_window, fail_max = tonumber(ARGV[15]), tonumber(ARGV[16])
local hits, failures = ring_read_pair(KEYS[6], ip_max, KEYS[7], fail_max)
local allowed, retry = ring_room(KEYS[6], hits, ip_window, ip_max, now)
if not allowed then return {'RATE_LIMITED', retry, 'queries'} end
ring_add(KEYS[6], hits, ip_window, ip_max, now)
-- an address that sent too many wrong codes is refused before any code is looked at (SPEC §10)
allowed, retry = ring_room(KEYS[7], failures, fail_window, fail_max, now)
if not allowed then return {'RATE_LIMITED', retry, 'codeFailures'} end

local code = redis.call('HGET', KEYS[2], 'h')
if not code then
  ring_add(KEYS[7], failures, fail_window, fail_max, now)
  return {'SMS_CODE_EXPIRED'}
end
if not same(code, ARGV[3]) then
  ring_add(KEYS[7], failures, fail_window, fail_max, now)
  local left = redis.call('HINCRBY', KEYS[2], 'a', -1)
  if left <= 0 then
    redis.call('DEL', KEYS[2])
    left = 0
  end
  return {'SMS_CODE_INVALID', left}
end

-- the window starts only if none is running; otherwise its time left is the answer and the code stays
if not redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5], 'NX') then
  local w = redis.call('PTTL', KEYS[3])
  if w < 0 then w = tonumber(ARGV[5]) end
  return {'QUERY_LIMIT', w}
end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[4], 'st', 'ACCEPTED', 'ca', ARGV[6], 'ua', ARGV[6], 'dl', ARGV[7], 'pd', ARGV[9], 'rid', ARGV[10])
redis.call('PEXPIREAT', KEYS[4], ARGV[8])
redis.call('XADD', KEYS[5], '*', 'q', ARGV[4])
if idempotent then
  redis.call('HSET', KEYS[1], 'b', ARGV[2], 'r', ARGV[11])
  redis.call('PEXPIRE', KEYS[1], ARGV[12])
end
return {'OK'}
