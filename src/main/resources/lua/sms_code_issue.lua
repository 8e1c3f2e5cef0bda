-- Issues an SMS code for one number, with every per-number check and write in one atomic step.
-- KEYS: 1 query window, 2 resend cooldown, 3 daily send log (sorted set), 4 code hash
-- ARGV: 1 resend_ms, 2 max_per_day, 3 day_ms, 4 code_hash, 5 code_ttl_ms, 6 max_attempts, 7 member
-- Returns {'OK', 0} or {error_code, retry_after_ms}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local day = tonumber(ARGV[3])

local w = redis.call('PTTL', KEYS[1])
if w ~= -2 then
  if w < 0 then w = day end
  return {'QUERY_LIMIT', w}
end
local c = redis.call('PTTL', KEYS[2])
if c ~= -2 then
  if c < 0 then c = tonumber(ARGV[1]) end
  return {'SMS_CODE_TOO_FREQUENT', c}
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - day)
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  return {'SMS_CODE_DAILY_LIMIT', tonumber(oldest[2]) + day - now}
end
-- a new code replaces the previous one, with a fresh attempt budget
redis.call('DEL', KEYS[4])
redis.call('HSET', KEYS[4], 'h', ARGV[4], 'a', ARGV[6])
redis.call('PEXPIRE', KEYS[4], ARGV[5])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
redis.call('ZADD', KEYS[3], now, ARGV[7])
redis.call('PEXPIRE', KEYS[3], day)
return {'OK', 0}
