-- Sliding-window limit: at most ARGV[2] hits in the last ARGV[1] ms for KEYS[1] (a sorted set of hit times).
-- ARGV: window_ms, max, member (unique per hit). Uses the Redis clock, so every node agrees on "now".
-- Returns {1, remaining} when the hit is counted, {0, retry_after_ms} when refused.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n >= max then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local retry = window
  if oldest[2] then retry = tonumber(oldest[2]) + window - now end
  return {0, retry}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {1, max - n - 1}
