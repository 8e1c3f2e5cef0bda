-- Accepts a phone-card query (SPEC §13): idempotency, the per-client-IP limits (the queries log is the one
-- of POST /api/v1/queries: the limit is shared), the code of purpose cards, the two phone-card windows (the
-- ID number's and the phone's, apart from the internet-account window), the durable job and its stream
-- entry, in one atomic step and one round trip, as lua/query_submit.lua does for the other query.
-- KEYS: 1 code hash, 2 the number's phone-card window, 3 the ID number's phone-card window (named by a
--       keyed token), 4 job hash, 5 job stream, 6 client IP hit log, 7 client IP wrong-code log (both logs
--       of lib/hit_log.lua), [8 idempotency record of this route: only with an Idempotency-Key]
-- ARGV: 1 code_hash, 2 query_id, 3 now_ms (the caller's clock, 13 digits), 4 deadline_ms,
--       5 sealed personal data, 6 request id, [with KEYS[8]: 7 keyed body hash, 8 response json],
--       [last: the request's W3C traceparent, only when it is traced (SPEC §11): the job's 'tp']
-- Constants as in lua/query_submit.lua: WINDOW_MS, IP_WINDOW_MS, IP_MAX, FAIL_WINDOW_MS, FAIL_MAX,
-- IDEMPOTENCY_TTL_MS, JOB_TTL_MS.
-- Returns {'OK'}, {'REPLAY', response}, {'IDEMPOTENCY_KEY_REUSED'}, {'RATE_LIMITED', retry_after_ms, bucket},
--         {'SMS_CODE_EXPIRED'}, {'SMS_CODE_INVALID', remaining}, {'QUERY_LIMIT', retry_after_ms}.
-- Unlike the internet-account query, a refusal by a window consumes the code (SPEC §13), and the time
-- left is the later of the two windows'.

local idempotent = KEYS[8] ~= nil
if idempotent then
  local prev = redis.call('HMGET', KEYS[8], 'b', 'r')
  if prev[1] then
    if prev[1] == ARGV[7] then return {'REPLAY', prev[2]} end
    return {'IDEMPOTENCY_KEY_REUSED'}
  end
end

local now_s = ARGV[3]
local now = tonumber(now_s)
local hits, failures = log_read_pair(KEYS[6], IP_MAX, KEYS[7], FAIL_MAX)
local allowed, retry = log_room(hits, IP_WINDOW_MS, IP_MAX, now)
if not allowed then return {'RATE_LIMITED', retry, 'queries'} end
log_add(KEYS[6], hits, IP_WINDOW_MS_S, IP_MAX, now_s)
allowed, retry = log_room(failures, FAIL_WINDOW_MS, FAIL_MAX, now)
if not allowed then return {'RATE_LIMITED', retry, 'codeFailures'} end

-- only a code of purpose cards lives in field 'c'; a code of purpose accounts is no code here, and stays
local code = redis.call('HGET', KEYS[1], 'c')
if not code then
  log_add(KEYS[7], failures, FAIL_WINDOW_MS_S, FAIL_MAX, now_s)
  return {'SMS_CODE_EXPIRED'}
end
if code ~= ARGV[1] then
  log_add(KEYS[7], failures, FAIL_WINDOW_MS_S, FAIL_MAX, now_s)
  local left = redis.call('HINCRBY', KEYS[1], 'a', -1)
  if left <= 0 then
    redis.call('DEL', KEYS[1])
    left = 0
  end
  return {'SMS_CODE_INVALID', left}
end

-- the code was right: it is spent whatever the windows say
redis.call('DEL', KEYS[1])
-- one look on the success path; their times left only on a refusal
if redis.call('EXISTS', KEYS[2], KEYS[3]) > 0 then
  local w_phone = redis.call('PTTL', KEYS[2])
  local w_id = redis.call('PTTL', KEYS[3])
  if w_phone == -1 then w_phone = WINDOW_MS end
  if w_id == -1 then w_id = WINDOW_MS end
  return {'QUERY_LIMIT', math.max(w_phone, w_id)}
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', WINDOW_MS_S)
redis.call('SET', KEYS[3], ARGV[2], 'PX', WINDOW_MS_S)
local tp = ARGV[idempotent and 9 or 7]
if tp then
  redis.call('HSET', KEYS[4], 'st', 'ACCEPTED', 'ca', now_s, 'dl', ARGV[4], 'pd', ARGV[5], 'rid', ARGV[6], 'kd', 'cards', 'tp', tp)
else
  redis.call('HSET', KEYS[4], 'st', 'ACCEPTED', 'ca', now_s, 'dl', ARGV[4], 'pd', ARGV[5], 'rid', ARGV[6], 'kd', 'cards')
end
redis.call('PEXPIRE', KEYS[4], JOB_TTL_MS_S)
redis.call('XADD', KEYS[5], '*', 'q', ARGV[2])
if idempotent then
  redis.call('HSET', KEYS[8], 'b', ARGV[7], 'r', ARGV[8])
  redis.call('PEXPIRE', KEYS[8], IDEMPOTENCY_TTL_MS_S)
end
return {'OK'}
