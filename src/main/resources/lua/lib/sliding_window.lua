-- Shared by the scripts that count a per-client ring (prepended by RedisScript): the per-IP limits
-- of the captcha and sms-codes routes (the submission's two per-IP limits and the code script's daily
-- cap and block budget use the cheaper hit logs of lib/hit_log.lua).
-- A client's last `max` hit times are a ring in one string: a header of two 13-digit numbers (max,
-- hits so far), then `max` slots of 13-digit milliseconds. A hit is counted unless the slot it would
-- overwrite, the max-th newest hit, is still inside the window: exactly "at most max hits in any
-- window ms", as a log of every hit would say, in O(1) time and 13 bytes per slot (a sorted set
-- took O(log n) per hit and ~100 bytes per member). A ring of up to RING_WHOLE_MAX slots (every
-- configured per-IP limit) is read with one GET and written back with one SET … PX: two commands per
-- hit; a larger one is read and written by ranges (GETRANGE, two SETRANGE, PEXPIRE), so that a
-- ring made huge by a lifted limit is never copied whole.
local RING_W = 13
local RING_HEAD = 2 * RING_W
local RING_WHOLE_MAX = 1024

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- The ring at `key` for `max` slots as a state {count, value (whole rings only), reset}: count 0
-- (and reset, so that the next write starts afresh) when the key is absent, holds the previous
-- limiter's sorted set, or was made for another max (its slots mean nothing now).
local function ring_read(key, max)
  local whole = max <= RING_WHOLE_MAX
  local v
  if whole then v = redis.pcall('GET', key) else v = redis.pcall('GETRANGE', key, 0, RING_HEAD - 1) end
  if type(v) == 'table' then return {count = 0, value = '', whole = whole, reset = true} end -- WRONGTYPE
  if not v or v == '' then return {count = 0, value = '', whole = whole, reset = false} end
  if tonumber(string.sub(v, 1, RING_W)) ~= max then return {count = 0, value = '', whole = whole, reset = true} end
  return {count = tonumber(string.sub(v, RING_W + 1, RING_HEAD)) or 0, value = v, whole = whole, reset = false}
end

-- The time in `slot` (0-based) of a ring read by ring_read.
local function ring_time(key, st, slot)
  local at = RING_HEAD + slot * RING_W
  if st.whole then return tonumber(string.sub(st.value, at + 1, at + RING_W)) end
  return tonumber(redis.call('GETRANGE', key, at, at + RING_W - 1))
end

-- Whether one more hit fits: true when fewer than `max` hits fall in the last `window` ms; false,
-- retry_after_ms otherwise (the slot the hit would overwrite, the max-th newest hit, is still inside).
local function ring_room(key, st, window, max, now)
  if st.count < max then return true end
  local oldest = ring_time(key, st, st.count % max)
  if oldest > now - window then return false, oldest + window - now end
  return true
end

-- Counts one hit at `now` in the ring read as `st`; the key lives `window` ms after it.
local function ring_add(key, st, window, max, now)
  local slot = st.count % max
  local at = RING_HEAD + slot * RING_W
  if st.whole then
    local v = st.value
    v = string.format('%013d%013d%s%013d%s', max, st.count + 1, string.sub(v, RING_HEAD + 1, at), now,
      string.sub(v, at + RING_W + 1))
    redis.call('SET', key, v, 'PX', window)
    st.value = v
  else
    if st.reset then redis.call('DEL', key) end
    redis.call('SETRANGE', key, at, string.format('%013d', now))
    redis.call('SETRANGE', key, 0, string.format('%013d%013d', max, st.count + 1))
    redis.call('PEXPIRE', key, window)
  end
  st.count = st.count + 1
  st.reset = false
end

-- Counts one hit at `now` in `key` unless `max` hits already fall in the last `window` ms.
-- Returns true, remaining when counted (remaining only when `want_remaining`, else nil); false,
-- retry_after_ms when refused. `member` is unused (a ring needs no unique member); kept so that
-- every caller's call stays as it was.
local function sliding_window_hit(key, window, max, member, now, want_remaining)
  local st = ring_read(key, max)
  local allowed, retry = ring_room(key, st, window, max, now)
  if not allowed then return false, retry end
  ring_add(key, st, window, max, now)
  if not want_remaining then
    return true, nil
  end
  -- hits in the window, by binary search over the ring from oldest to newest (the newest is `now`)
  local n = math.min(st.count, max)
  local first = (st.count - n) % max
  local lo, hi = 0, n - 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if ring_time(key, st, (first + mid) % max) > now - window then hi = mid else lo = mid + 1 end
  end
  return true, max - (n - lo)
end
