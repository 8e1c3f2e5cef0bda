-- Accepts a phone-card query: the number's atomic step of SPEC §13, all keys in the slot of the number's
-- shard (SPEC §11): the idempotency record's copy of this route, the code of purpose cards, the number's
-- phone-card window, the durable job and its stream entry. The per-IP step ran before (query_ip.lua), and
-- so did the ID number's provisional reservation in its own slot (card_id_reserve.lua), whose verdict is
-- ARGV[7]; the caller confirms or gives the reservation back after this step (card_id_settle.lua).
-- KEYS: 1 code hash, 2 the number's phone-card window, 3 job hash, 4 job stream of the shard,
--       [5 the number's copy of the idempotency record: only with an Idempotency-Key]
-- ARGV: 1 code_hash, 2 query_id, 3 now_ms (13 digits), 4 deadline_ms, 5 sealed personal data, 6 request id,
--       7 the ID number's window: '0' when reserved for this query, else its time left in ms (taken),
--       [with KEYS[5]: 8 keyed body hash, 9 response json],
--       [last: the request's W3C traceparent, only when it is traced (SPEC §11): the job's 'tp']
-- Constants (NAME and NAME_S, see RedisScript): WINDOW_MS, IDEMPOTENCY_TTL_MS, JOB_TTL_MS.
-- Returns {'OK'}, {'REPLAY', response}, {'IDEMPOTENCY_KEY_REUSED'}, {'SMS_CODE_EXPIRED'},
--         {'SMS_CODE_INVALID', remaining}, {'QUERY_LIMIT', retry_after_ms}.
-- Unlike the internet-account query, a refusal by either window consumes the code (SPEC §13), and the time
-- left is the later of the two windows'. Codes and body hashes are keyed digests compared with == (see
-- query_submit.lua).

local idempotent = KEYS[5] ~= nil
if idempotent then
  local prev = redis.call('HMGET', KEYS[5], 'b', 'r')
  if prev[1] then
    if prev[1] == ARGV[8] then return {'REPLAY', prev[2]} end
    return {'IDEMPOTENCY_KEY_REUSED'}
  end
end

local now_s = ARGV[3]

-- only a code of purpose cards lives in field 'c'; a code of purpose accounts is no code here, and stays
local code = redis.call('HGET', KEYS[1], 'c')
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

-- the code was right: it is spent whatever the windows say
redis.call('DEL', KEYS[1])
local w_id = tonumber(ARGV[7])
local w_phone = redis.call('PTTL', KEYS[2]) -- -2: no window runs
if w_phone ~= -2 or w_id > 0 then
  if w_phone == -1 then w_phone = WINDOW_MS end
  return {'QUERY_LIMIT', math.max(w_phone, w_id)}
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', WINDOW_MS_S)
local tp = ARGV[idempotent and 10 or 8]
if tp then
  redis.call('HSET', KEYS[3], 'st', 'ACCEPTED', 'ca', now_s, 'dl', ARGV[4], 'pd', ARGV[5], 'rid', ARGV[6], 'kd', 'cards', 'tp', tp)
else
  redis.call('HSET', KEYS[3], 'st', 'ACCEPTED', 'ca', now_s, 'dl', ARGV[4], 'pd', ARGV[5], 'rid', ARGV[6], 'kd', 'cards')
end
redis.call('PEXPIRE', KEYS[3], JOB_TTL_MS_S)
redis.call('XADD', KEYS[4], '*', 'q', ARGV[2])
if idempotent then
  redis.call('HSET', KEYS[5], 'b', ARGV[8], 'r', ARGV[9])
  redis.call('PEXPIRE', KEYS[5], IDEMPOTENCY_TTL_MS_S)
end
return {'OK'}
