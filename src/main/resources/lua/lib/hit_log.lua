-- Hit logs (prepended by RedisScript; every per-IP limit, the code script's daily cap and block
-- budget): a client's last `max` hit times, oldest first, as 13-digit milliseconds in one string and
-- nothing else. The number of hits is the length / 13, so checking a hit parses at most one number (the max-th newest time, only when the log
-- is full) and counting one formats none (the caller passes the time as its 13 digits): the header
-- rings these logs replaced (lib/sliding_window.lua, gone) formatted two numbers per hit, the most
-- expensive thing the submission did in Redis. Same rule: a hit is counted unless the max-th newest
-- hit is still inside the window, i.e. exactly "at most max hits in any window ms", in O(1) commands
-- per hit.
-- Up to LOG_WHOLE_MAX slots (every configured per-IP limit) a log is read whole (GET, or one MGET for
-- two) and written whole (SET … PX); a larger one (a lifted limit) is checked with one GETRANGE of the
-- slot that matters and grows by APPEND, so that it is never copied while it fills.
-- A log longer than `max` (the limit was lowered) counts by its newest `max` hits and is cut on the next
-- hit; a shorter one (raised) simply has room: no reset is needed when the configuration changes.
local LOG_W = 13
local LOG_WHOLE_MAX = 1024

-- What log_room needs of the log at `key`: its value when read whole, else the max-th newest slot
-- (shorter than a slot while the log holds fewer than max hits). False when absent or of another type.
local function log_read(key, max)
  local v
  if max <= LOG_WHOLE_MAX then
    v = redis.pcall('GET', key)
  else
    v = redis.pcall('GETRANGE', key, -LOG_W * max, -LOG_W * max + LOG_W - 1)
  end
  if type(v) ~= 'string' then return false end -- absent, or WRONGTYPE (an error table)
  return v
end

-- log_read of two logs; one MGET when both are read whole (MGET answers false for another type too).
local function log_read_pair(key1, max1, key2, max2)
  if max1 <= LOG_WHOLE_MAX and max2 <= LOG_WHOLE_MAX then
    local v = redis.call('MGET', key1, key2)
    return v[1], v[2]
  end
  return log_read(key1, max1), log_read(key2, max2)
end

-- One MGET for every string a script needs up front: `keys[i]` is read when `whole[i]` is true (a hit log
-- read whole, or a plain string such as a flag or a window); the answer holds its value (false when
-- absent or of another type, as log_read) there and nil where it was not read (the caller reads it
-- itself, log_read's GETRANGE of a lifted log). Each redis.call costs Redis a few µs whatever it does,
-- so reading four or five strings at once is most of what a script can save (bench/README.md).
local function mget_some(keys, whole)
  local ask, at = {}, {}
  for i = 1, #keys do
    if whole[i] then
      ask[#ask + 1] = keys[i]
      at[#ask] = i
    end
  end
  local out = {}
  if #ask == 0 then return out end
  local v = redis.call('MGET', unpack(ask))
  for j = 1, #ask do out[at[j]] = v[j] end
  return out
end

-- Whether one more hit fits in the log read as `v`: true when fewer than `max` hits fall in the last
-- `window` ms; false, retry_after_ms otherwise. Counts nothing.
local function log_room(v, window, max, now)
  if not v then return true end
  local oldest
  if max <= LOG_WHOLE_MAX then
    local at = #v - LOG_W * max -- where the max-th newest slot starts; below 0 while not full
    if at < 0 then return true end
    oldest = tonumber(string.sub(v, at + 1, at + LOG_W))
  else
    if #v < LOG_W then return true end
    oldest = tonumber(v)
  end
  if oldest > now - window then return false, oldest + window - now end
  return true
end

-- Counts one hit at `now_s` (the time as its 13 digits) in the log read as `v` (log_read); the key
-- lives `window_s` ms (a decimal string) after it. Returns the log written when written whole, else nil.
local function log_add(key, v, window_s, max, now_s)
  if max <= LOG_WHOLE_MAX then
    if not v then
      v = now_s
    elseif #v >= LOG_W * max then
      v = string.sub(v, #v - LOG_W * (max - 1) + 1) .. now_s
    else
      v = v .. now_s
    end
    redis.call('SET', key, v, 'PX', window_s)
    return v
  end
  if v and #v == LOG_W then
    -- full: the newest max - 1 and this one (a copy per hit from here on, only for a lifted limit reached)
    redis.call('SET', key, redis.call('GETRANGE', key, -LOG_W * (max - 1), -1) .. now_s, 'PX', window_s)
    return
  end
  if type(redis.pcall('APPEND', key, now_s)) == 'table' then
    redis.call('SET', key, now_s, 'PX', window_s) -- another type (an older limiter's value): replaced
    return
  end
  redis.call('PEXPIRE', key, window_s)
end

-- How many more hits fit in the window ending `now` once log_add has counted one: `max` less the hits
-- among the log's newest `max` slots inside the window, found by binary search (slots are oldest first;
-- the newest is `now`). `v` is what log_add returned: the log when written whole, else nil, and then the
-- log is measured by STRLEN and probed by one GETRANGE per step.
local function log_remaining(key, v, window, max, now)
  local slots = math.floor((v and #v or redis.call('STRLEN', key)) / LOG_W)
  local n = math.min(slots, max)
  local first = slots - n
  local function time_at(i)
    local from = (first + i) * LOG_W
    if v then return tonumber(string.sub(v, from + 1, from + LOG_W)) end
    return tonumber(redis.call('GETRANGE', key, from, from + LOG_W - 1))
  end
  local lo, hi = 0, n - 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if time_at(mid) > now - window then hi = mid else lo = mid + 1 end
  end
  return max - (n - lo)
end

-- Takes back one hit at `time_s` (13 digits) from the log at `key`, whatever its size (a rare path: a
-- code whose text definitely did not go out); the log keeps its TTL and is deleted when emptied.
local function log_take_back(key, time_s)
  local v = redis.pcall('GET', key)
  if type(v) ~= 'string' then return end
  local from = 1
  while true do
    local at = string.find(v, time_s, from, true)
    if not at then return end
    if (at - 1) % LOG_W == 0 then -- a slot, not digits across two
      v = string.sub(v, 1, at - 1) .. string.sub(v, at + LOG_W)
      if v == '' then redis.call('DEL', key) else redis.call('SET', key, v, 'KEEPTTL') end
      return
    end
    from = at + 1
  end
end

-- One hit of a per-IP limit (rate_limit.lua, and the whole-step scripts of standalone and Sentinel):
-- true and the log log_add returned when counted, or false and retry_after_ms when `max` hits already
-- fall in the last `window` ms (`window_s`: the same as a decimal string).
local function log_hit(key, window, window_s, max, now, now_s)
  local v = log_read(key, max)
  local allowed, retry = log_room(v, window, max, now)
  if not allowed then return false, retry end
  return true, log_add(key, v, window_s, max, now_s)
end
