-- Reserves one code text in the send budgets of SPEC §10 before the number's step (sms_code_issue.lua):
-- the number block's log and the part of the global budget it draws on, in one slot (the block's
-- shard) on a Redis Cluster. The caller gives the reservation back (sms_budget_undo.lua) when the
-- number's step refuses, so a refused number never spends the budgets.
-- KEYS: 1 number-block budget log (a hit log of lib/hit_log.lua), 2 global budget part (a sorted set)
-- ARGV: 1 now_ms (13 digits), 2 member (unique per code: its entry in the global part)
-- Constants (NAME and NAME_S): BLOCK_WINDOW_MS, BLOCK_MAX, GLOBAL_WINDOW_MS, GLOBAL_MAX (this part's
-- share: the whole max with one part).
-- Returns {'OK', 0} or {'SMS_BUDGET_EXCEEDED', retry_after_ms, scope}.
-- The global part is pruned only when it looks full: below GLOBAL_MAX members, old ones included, it
-- has room whatever their age, so "at most max in any window" holds without a ZREMRANGEBYSCORE per code.
local now_s = ARGV[1]
local now = tonumber(now_s)
local block = log_read(KEYS[1], BLOCK_MAX)
local has_room, retry = log_room(block, BLOCK_WINDOW_MS, BLOCK_MAX, now)
if not has_room then return {'SMS_BUDGET_EXCEEDED', retry, 'block'} end
if redis.call('ZCARD', KEYS[2]) >= GLOBAL_MAX then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - GLOBAL_WINDOW_MS)
  if redis.call('ZCARD', KEYS[2]) >= GLOBAL_MAX then
    local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    local wait = GLOBAL_WINDOW_MS
    if oldest[2] then wait = tonumber(oldest[2]) + GLOBAL_WINDOW_MS - now end
    return {'SMS_BUDGET_EXCEEDED', wait, 'global'}
  end
end
log_add(KEYS[1], block, BLOCK_WINDOW_MS_S, BLOCK_MAX, now_s)
redis.call('ZADD', KEYS[2], now, ARGV[2])
redis.call('PEXPIRE', KEYS[2], GLOBAL_WINDOW_MS_S)
return {'OK', 0}
