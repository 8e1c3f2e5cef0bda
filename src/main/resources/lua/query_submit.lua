-- Accepts a query: the number's atomic step of SPEC §2.3 (the idempotency record's copy, the SMS code
-- check, the number's window, the durable job and its stream entry), all keys in the slot of the
-- number's shard (SPEC §11), so no accepted query is lost and no window is taken without a job. An
-- idempotent repeat is recognised here too (first thing). The per-IP limits ran before, in their own
-- round trip (query_ip.lua); a wrong code is counted per IP after (code_failure.lua).
-- KEYS: 1 code hash, 2 query window, 3 job hash, 4 job stream of the shard,
--       [5 the number's copy of the idempotency record: only with an Idempotency-Key]
-- ARGV: 1 code_hash, 2 query_id, 3 now_ms (13 digits), 4 deadline_ms, 5 sealed personal data, 6 request id,
--       [with KEYS[5]: 7 keyed body hash (never a plain digest), 8 response json],
--       [last: the request's W3C traceparent, only when it is traced (SPEC §11): the job's 'tp']
-- Constants, written in front by RedisScript from the node's configuration, each a number NAME and the
-- same as a string NAME_S: WINDOW_MS (limits.queryWindowSeconds), IDEMPOTENCY_TTL_MS, JOB_TTL_MS
-- (pipeline.deadlineSeconds and the 7 days the record is kept after the deadline).
-- Returns {'OK'}, {'REPLAY', response}, {'IDEMPOTENCY_KEY_REUSED'}, {'SMS_CODE_EXPIRED'},
--         {'SMS_CODE_INVALID', remaining}, {'QUERY_LIMIT', retry_after_ms}.
-- Success path: HGET, SET … NX PX, DEL, HSET, PEXPIRE, XADD: six commands.

-- The stored code and the caller's are compared with ==, as are the two body hashes: both sides are
-- keyed digests (HMAC under the node's secret), and Lua 5.1 interns every string, so == compares two
-- addresses. What timing could tell, at most, is how many leading characters two HMAC outputs share,
-- which says nothing about any other guess without the key.

local idempotent = KEYS[5] ~= nil
if idempotent then
  local prev = redis.call('HMGET', KEYS[5], 'b', 'r')
  if prev[1] then
    if prev[1] == ARGV[7] then return {'REPLAY', prev[2]} end
    return {'IDEMPOTENCY_KEY_REUSED'}
  end
end

local now_s = ARGV[3]

local code = redis.call('HGET', KEYS[1], 'h')
if not code then
  return {'SMS_CODE_EXPIRED'}
end
if code ~= ARGV[1] then
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
  redis.call('HSET', KEYS[5], 'b', ARGV[7], 'r', ARGV[8])
  redis.call('PEXPIRE', KEYS[5], IDEMPOTENCY_TTL_MS_S)
end
return {'OK'}
