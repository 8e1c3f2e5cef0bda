-- The send budgets of SPEC §10, shared by sms_budget.lua (their own round trip before the number's step)
-- and sms_code_whole.lua (the whole code path in one script, standalone and Sentinel).
-- Constants (NAME and NAME_S): BLOCK_WINDOW_MS, BLOCK_MAX, GLOBAL_WINDOW_MS, GLOBAL_MAX (a part's share:
-- the whole max with one part).

-- Reserves one code text: in the number block's hit log `kblock` and in the global budget part `kglob`
-- (a sorted set, one member per text: `member`, unique per code). Returns nil when reserved, else
-- {'SMS_BUDGET_EXCEEDED', retry_after_ms, scope}. `block`: the block's log when the caller read it already
-- (mget_some), nil to read it here.
-- The global part is pruned only when it looks full: below GLOBAL_MAX members, old ones included, it
-- has room whatever their age, so "at most max in any window" holds without a ZREMRANGEBYSCORE per code.
local function budget_reserve(kblock, kglob, now, now_s, member, block)
  if block == nil then block = log_read(kblock, BLOCK_MAX) end
  local has_room, retry = log_room(block, BLOCK_WINDOW_MS, BLOCK_MAX, now)
  if not has_room then return {'SMS_BUDGET_EXCEEDED', retry, 'block'} end
  if redis.call('ZCARD', kglob) >= GLOBAL_MAX then
    redis.call('ZREMRANGEBYSCORE', kglob, '-inf', now - GLOBAL_WINDOW_MS)
    if redis.call('ZCARD', kglob) >= GLOBAL_MAX then
      local oldest = redis.call('ZRANGE', kglob, 0, 0, 'WITHSCORES')
      local wait = GLOBAL_WINDOW_MS
      if oldest[2] then wait = tonumber(oldest[2]) + GLOBAL_WINDOW_MS - now end
      return {'SMS_BUDGET_EXCEEDED', wait, 'global'}
    end
  end
  log_add(kblock, block, BLOCK_WINDOW_MS_S, BLOCK_MAX, now_s)
  redis.call('ZADD', kglob, now, member)
  redis.call('PEXPIRE', kglob, GLOBAL_WINDOW_MS_S)
  return nil
end
