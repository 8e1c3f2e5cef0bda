-- Issues an SMS code for one number: the pause switch, every per-number check and every write of
-- the number, in one atomic step on the slot of the number's shard (SPEC §2.2, §10, §11). The send
-- budgets ran before in their own round trip (sms_budget.lua: reserved, and given back by the
-- caller when this step refuses); when they refused, this step runs with check_only, so that a
-- per-number refusal still comes first (SPEC §2.2's order).
-- KEYS: 1 query window (of the code's purpose: the internet-account or the phone-card window), 2 resend cooldown, 3 daily send log (a hit log of lib/hit_log.lua), 4 code hash,
--       5 the pause flag's copy in this shard
-- ARGV: 1 now_ms (the caller's clock, 13 digits), 2 code_hash, 3 "1": check only, write nothing,
--       4 the code's field ('h' for a code of purpose accounts, 'c' for cards), 5 the other purpose's field
--       (dropped: one live code per number)
-- Constants (NAME and NAME_S, see RedisScript): RESEND_MS, DAY_MS, MAX_PER_DAY, CODE_TTL_MS,
-- MAX_ATTEMPTS, OPEN_PAUSE_RETRY_MS.
-- Returns {'OK', 0} or {error_code, retry_after_ms}.
-- Success path: EXISTS, GET, HSET, HDEL, PEXPIRE, SET … PX (cooldown), SET … PX (daily log): seven commands.
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
local daily = log_read(KEYS[3], MAX_PER_DAY)
local has_room, retry = log_room(daily, DAY_MS, MAX_PER_DAY, now)
if not has_room then return {'SMS_CODE_DAILY_LIMIT', retry} end
if ARGV[3] == '1' then return {'OK', 0} end

-- a new code replaces the previous one, whatever its purpose, with a fresh attempt budget; a query of the
-- other purpose looks up its own field and finds no code
redis.call('HSET', KEYS[4], ARGV[4], ARGV[2], 'a', MAX_ATTEMPTS_S)
redis.call('HDEL', KEYS[4], ARGV[5])
redis.call('PEXPIRE', KEYS[4], CODE_TTL_MS_S)
redis.call('SET', KEYS[2], '1', 'PX', RESEND_MS_S)
log_add(KEYS[3], daily, DAY_MS_S, MAX_PER_DAY, now_s)
return {'OK', 0}
