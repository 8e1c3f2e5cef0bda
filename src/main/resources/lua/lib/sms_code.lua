-- The number's part of issuing a code (SPEC §2.2, §10), shared by sms_code_issue.lua (the number's step
-- in the slot of its shard) and sms_code_whole.lua (the whole code path in one script, standalone and
-- Sentinel). K: 1 query window (of the code's purpose), 2 resend cooldown, 3 daily send log (a hit log
-- of lib/hit_log.lua), 4 code hash, 5 the pause flag's copy in the number's shard.
-- Constants (NAME and NAME_S, see RedisScript): RESEND_MS, DAY_MS, MAX_PER_DAY, CODE_TTL_MS,
-- MAX_ATTEMPTS, OPEN_PAUSE_RETRY_MS.

-- The refusal of the pause switch, the number's query window or its cooldown, the first that is set (their
-- values as read: truthy when present), with its time left; nil when none is.
local function code_refusal(K, paused, window, cooldown)
  if paused then
    local p = redis.call('PTTL', K[5])
    if p < 0 then p = OPEN_PAUSE_RETRY_MS end
    return {'SERVICE_UNAVAILABLE', p}
  end
  if window then
    local w = redis.call('PTTL', K[1])
    if w < 0 then w = DAY_MS end
    return {'QUERY_LIMIT', w}
  end
  if cooldown then
    local c = redis.call('PTTL', K[2])
    if c < 0 then c = RESEND_MS end
    return {'SMS_CODE_TOO_FREQUENT', c}
  end
  return nil
end

-- The pause switch and the per-number checks on values already read (mget_some of lib/hit_log.lua: the pause
-- flag's copy, the window, the cooldown and the daily log, nil when it was not read whole): nil and the daily
-- log (for code_write) when a code may be issued, else {error_code, retry_after_ms} of the first that holds, in
-- SPEC §2.2's order.
local function code_check_read(K, paused, window, cooldown, daily, now)
  local refused = code_refusal(K, paused, window, cooldown)
  if refused then return refused end
  if daily == nil then daily = log_read(K[3], MAX_PER_DAY) end
  local has_room, retry = log_room(daily, DAY_MS, MAX_PER_DAY, now)
  if not has_room then return {'SMS_CODE_DAILY_LIMIT', retry} end
  return nil, daily
end

-- The same, reading the four strings itself. Success path: one MGET (all four keys are in the slot of the
-- number's shard).
local function code_check(K, now)
  local v = mget_some({K[5], K[1], K[2], K[3]}, {true, true, true, MAX_PER_DAY <= LOG_WHOLE_MAX})
  return code_check_read(K, v[1], v[2], v[3], v[4], now)
end

-- Stores the new code (its keyed hash `code_hash` in `field`; `other_field`, the other purpose's, dropped:
-- one live code per number) with a fresh attempt budget, starts the cooldown and counts the text in
-- the daily log read by code_check. HSET, PEXPIRE, SET … PX, SET … PX, and HDEL when the number had a code.
local function code_write(K, daily, now_s, code_hash, field, other_field)
  -- a new code replaces the previous one, whatever its purpose; a query of the other purpose looks up
  -- its own field and finds no code
  -- two new fields: the hash had no attempt count, so no code (every code is written with its 'a', which
  -- lives until the hash is deleted) and nothing of the other purpose to drop
  if redis.call('HSET', K[4], field, code_hash, 'a', MAX_ATTEMPTS_S) < 2 then
    redis.call('HDEL', K[4], other_field)
  end
  redis.call('PEXPIRE', K[4], CODE_TTL_MS_S)
  redis.call('SET', K[2], '1', 'PX', RESEND_MS_S)
  log_add(K[3], daily, DAY_MS_S, MAX_PER_DAY, now_s)
end
