-- Issues an SMS code for one number, with the pause switch, every per-number check, the send
-- budgets (SPEC §10) and every write in one atomic step: one round trip on the success path.
-- KEYS: 1 query window, 2 resend cooldown, 3 daily send log (sorted set), 4 code hash,
--       5 pause flag, 6 number-block budget log, 7 global budget log
-- ARGV: 1 resend_ms, 2 max_per_day, 3 day_ms, 4 code_hash, 5 code_ttl_ms, 6 max_attempts, 7 member,
--       8 block_window_ms, 9 block_max, 10 global_window_ms, 11 global_max, 12 open_pause_retry_ms
-- Returns {'OK', 0} or {error_code, retry_after_ms} or {'SMS_BUDGET_EXCEEDED', retry_after_ms, scope}.
local now = now_ms()
local day = tonumber(ARGV[3])

local p = redis.call('PTTL', KEYS[5])
if p ~= -2 then
  if p < 0 then p = tonumber(ARGV[12]) end
  return {'SERVICE_UNAVAILABLE', p}
end
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
local has_room, retry = sliding_window_room(KEYS[3], day, tonumber(ARGV[2]), now)
if not has_room then return {'SMS_CODE_DAILY_LIMIT', retry} end
-- budgets after the per-number limits, so a refused number never spends them
local block_window, global_window = tonumber(ARGV[8]), tonumber(ARGV[10])
has_room, retry = sliding_window_room(KEYS[6], block_window, tonumber(ARGV[9]), now)
if not has_room then return {'SMS_BUDGET_EXCEEDED', retry, 'block'} end
has_room, retry = sliding_window_room(KEYS[7], global_window, tonumber(ARGV[11]), now)
if not has_room then return {'SMS_BUDGET_EXCEEDED', retry, 'global'} end

-- a new code replaces the previous one, with a fresh attempt budget
redis.call('DEL', KEYS[4])
redis.call('HSET', KEYS[4], 'h', ARGV[4], 'a', ARGV[6])
redis.call('PEXPIRE', KEYS[4], ARGV[5])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
sliding_window_add(KEYS[3], day, ARGV[7], now)
sliding_window_add(KEYS[6], block_window, ARGV[7], now)
sliding_window_add(KEYS[7], global_window, ARGV[7], now)
return {'OK', 0}
