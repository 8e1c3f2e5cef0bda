-- Reserves an ID number's phone-card window provisionally (SPEC §13), in the slot of its own token, before
-- the number's step (card_submit.lua). The reservation is a short-lived marker ('r:' and the query id) that
-- does not count as a window taken: card_id_settle.lua turns it into the window once the number's step
-- accepted the query, or deletes it when that step refused; if neither comes (a node gone), it expires.
-- KEYS: 1 the ID number's window; ARGV: 1 query id, 2 the marker's life in ms
-- Constants (NAME and NAME_S): WINDOW_MS.
-- Returns {'RESERVED'}, {'TAKEN', ms_left} (a window runs: the number's step refuses with it),
--         {'PENDING', ms_left} (another query holds a reservation: ask again when it is settled).
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], 'r:' .. ARGV[1], 'PX', ARGV[2])
  return {'RESERVED'}
end
local left = redis.call('PTTL', KEYS[1])
if string.sub(v, 1, 2) == 'r:' then
  return {'PENDING', math.max(left, 1)}
end
if left < 0 then left = WINDOW_MS end
return {'TAKEN', math.max(left, 1)}
