-- Shared by every script that counts a sliding window (prepended by RedisScript). A window is a
-- sorted set of hits scored by their time in ms.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Whether `key` has room for one more hit: true, hits_in_window when fewer than `max` hits fall
-- in the last `window` ms; false, retry_after_ms otherwise. Counts nothing.
local function sliding_window_room(key, window, max, now)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local n = redis.call('ZCARD', key)
  if n >= max then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    local retry = window
    if oldest[2] then retry = tonumber(oldest[2]) + window - now end
    return false, retry
  end
  return true, n
end

-- Counts one hit (`member` unique per hit) at `now`.
local function sliding_window_add(key, window, member, now)
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window)
end

-- Counts one hit unless `max` hits already fall in the window.
-- Returns true, remaining when counted; false, retry_after_ms when refused.
local function sliding_window_hit(key, window, max, member, now)
  local ok, value = sliding_window_room(key, window, max, now)
  if not ok then return false, value end
  sliding_window_add(key, window, member, now)
  return true, max - value - 1
end
