-- Shared by every script that counts a sliding window (prepended by RedisScript). Two kinds:
-- sliding_window_room/add keep a log of hits as a sorted set scored by time (used where a hit must
-- be checked, counted later, or taken back: daily codes, send budgets, wrong codes per IP); and
-- sliding_window_hit keeps a per-client ring (the per-IP request limits, the hot path).
-- A client's last `max` hit times are a ring in one string: a header of two 13-digit numbers (max,
-- hits so far), then `max` slots of 13-digit milliseconds. A hit is counted unless the slot it would
-- overwrite, the max-th newest hit, is still inside the window: exactly "at most max hits in any
-- window ms", as a log of every hit would say, in O(1) time and 13 bytes per slot (a sorted set
-- took O(log n) per hit and ~100 bytes per member).
local RING_W = 13
local RING_HEAD = 2 * RING_W

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Sorted-set log: whether `key` has room for one more hit: true, hits_in_window when fewer than `max` hits fall
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

local function ring_time(key, slot)
  local at = RING_HEAD + slot * RING_W
  return tonumber(redis.call('GETRANGE', key, at, at + RING_W - 1))
end

-- Counts one hit at `now` in `key` unless `max` hits already fall in the last `window` ms.
-- Returns true, remaining when counted (remaining only when `want_remaining`, else nil); false,
-- retry_after_ms when refused. `member` is unused (a ring needs no unique member); kept so that
-- every caller's call stays as it was.
local function sliding_window_hit(key, window, max, member, now, want_remaining)
  local head = redis.pcall('GETRANGE', key, 0, RING_HEAD - 1)
  local count = 0
  if type(head) == 'table' then
    redis.call('DEL', key) -- a sorted set left by the previous limiter: start afresh
  elseif tonumber(string.sub(head, 1, RING_W)) == max then
    count = tonumber(string.sub(head, RING_W + 1)) or 0
  elseif head ~= '' then
    redis.call('DEL', key) -- max was reconfigured: the old ring's slots mean nothing now
  end
  local slot = count % max
  if count >= max then
    local oldest = ring_time(key, slot)
    if oldest > now - window then
      return false, oldest + window - now
    end
  end
  redis.call('SETRANGE', key, RING_HEAD + slot * RING_W, string.format('%013d', now))
  redis.call('SETRANGE', key, 0, string.format('%013d%013d', max, count + 1))
  redis.call('PEXPIRE', key, window)
  if not want_remaining then
    return true, nil
  end
  -- hits in the window, by binary search over the ring from oldest to newest (the newest is `now`)
  local n = math.min(count + 1, max)
  local first = (count + 1 - n) % max
  local lo, hi = 0, n - 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if ring_time(key, (first + mid) % max) > now - window then hi = mid else lo = mid + 1 end
  end
  return true, max - (n - lo)
end
