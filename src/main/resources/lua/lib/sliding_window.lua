-- Shared by every script that counts a per-client sliding window (prepended by RedisScript).
-- Counts one hit at now_ms in the sorted set `key` unless `max` hits already fall in the last
-- `window` ms. Returns true, remaining when counted; false, retry_after_ms when refused.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function sliding_window_hit(key, window, max, member, now)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local n = redis.call('ZCARD', key)
  if n >= max then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    local retry = window
    if oldest[2] then retry = tonumber(oldest[2]) + window - now end
    return false, retry
  end
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window)
  return true, max - n - 1
end
