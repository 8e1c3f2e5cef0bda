-- Issues an SMS code for one number, with the pause switch, every per-number check, the send
-- budgets (SPEC §10) and every write in one atomic step: one round trip on the success path.
-- KEYS: 1 query window (of the code's purpose: the internet-account or the phone-card window), 2 resend cooldown, 3 daily send log (a hit log of lib/hit_log.lua), 4 code hash,
--       5 pause flag, 6 number-block budget log (a hit log), 7 global budget log (a sorted set)
-- ARGV: 1 now_ms (the caller's clock, 13 digits, as the submission's per-IP logs take it), 2 code_hash,
--       3 member (unique per code: its entry in the global log), 4 the code's field ('h' for a code of
--       purpose accounts, 'c' for cards), 5 the other purpose's field (dropped: one live code per number)
-- Constants, written in front by RedisScript from the node's configuration (NAME, and NAME_S as a
-- string): RESEND_MS, DAY_MS, MAX_PER_DAY, CODE_TTL_MS, MAX_ATTEMPTS, BLOCK_WINDOW_MS, BLOCK_MAX,
-- GLOBAL_WINDOW_MS, GLOBAL_MAX, OPEN_PAUSE_RETRY_MS.
-- Returns {'OK', 0} or {error_code, retry_after_ms} or {'SMS_BUDGET_EXCEEDED', retry_after_ms, scope}.
-- Success path: EXISTS, MGET, ZCARD, HSET, PEXPIRE, SET … PX (cooldown), two SET … PX (logs), ZADD,
-- PEXPIRE: ten commands (twenty with a PTTL per flag, TIME and sorted sets for all three logs).
-- The global log is pruned only when it looks full: below GLOBAL_MAX members, old ones included, it
-- has room whatever their age, so "at most max in any window" holds without a ZREMRANGEBYSCORE per code.
local now_s = ARGV[1]
local now = tonumber(now_s)

-- the pause switch, the number's query window and its cooldown: one look on the success path, and
-- on a refusal the first that holds, in that order, with its time left
if redis.call('EXISTS', KEYS[5], KEYS[1], KEYS[2]) > 0 then
  local p = redis.call('PTTL', KEYS[5])
  if p ~= -2 then
    if p < 0 then p = OPEN_PAUSE_RETRY_MS end
    return {'SERVICE_UNAVAILABLE', p}
  end
  local w = redis.call('PTTL', KEYS[1])
  if w ~= -2 then
    if w < 0 then w = DAY_MS end
    return {'QUERY_LIMIT', w}
  end
  local c = redis.call('PTTL', KEYS[2])
  if c < 0 then c = RESEND_MS end
  return {'SMS_CODE_TOO_FREQUENT', c}
end
local daily, block = log_read_pair(KEYS[3], MAX_PER_DAY, KEYS[6], BLOCK_MAX)
local has_room, retry = log_room(daily, DAY_MS, MAX_PER_DAY, now)
if not has_room then return {'SMS_CODE_DAILY_LIMIT', retry} end
-- budgets after the per-number limits, so a refused number never spends them
has_room, retry = log_room(block, BLOCK_WINDOW_MS, BLOCK_MAX, now)
if not has_room then return {'SMS_BUDGET_EXCEEDED', retry, 'block'} end
if redis.call('ZCARD', KEYS[7]) >= GLOBAL_MAX then
  redis.call('ZREMRANGEBYSCORE', KEYS[7], '-inf', now - GLOBAL_WINDOW_MS)
  if redis.call('ZCARD', KEYS[7]) >= GLOBAL_MAX then
    local oldest = redis.call('ZRANGE', KEYS[7], 0, 0, 'WITHSCORES')
    return {'SMS_BUDGET_EXCEEDED', tonumber(oldest[2]) + GLOBAL_WINDOW_MS - now, 'global'}
  end
end

-- a new code replaces the previous one, whatever its purpose, with a fresh attempt budget; a query of the
-- other purpose looks up its own field and finds no code
redis.call('HSET', KEYS[4], ARGV[4], ARGV[2], 'a', MAX_ATTEMPTS_S)
redis.call('HDEL', KEYS[4], ARGV[5])
redis.call('PEXPIRE', KEYS[4], CODE_TTL_MS_S)
redis.call('SET', KEYS[2], '1', 'PX', RESEND_MS_S)
log_add(KEYS[3], daily, DAY_MS_S, MAX_PER_DAY, now_s)
log_add(KEYS[6], block, BLOCK_WINDOW_MS_S, BLOCK_MAX, now_s)
redis.call('ZADD', KEYS[7], now, ARGV[3])
redis.call('PEXPIRE', KEYS[7], GLOBAL_WINDOW_MS_S)
return {'OK', 0}
