-- Settles an ID number's provisional reservation (card_id_reserve.lua) after the number's step.
-- ARGV[2] '1' (the query was accepted): the window is taken for WINDOW_MS, unless another query's window or
-- reservation holds the key (then 0: the reservation had expired before it was confirmed). ARGV[2] '0': the
-- reservation is given back, only if it is still this query's.
-- KEYS: 1 the ID number's window; ARGV: 1 query id, 2 '1' confirm or '0' give back
-- Constants (NAME and NAME_S): WINDOW_MS. Returns 1 when settled as asked, 0 when the key was not ours.
local v = redis.call('GET', KEYS[1])
local ours = v == 'r:' .. ARGV[1]
if ARGV[2] == '1' then
  if v and not ours and v ~= ARGV[1] then return 0 end
  redis.call('SET', KEYS[1], ARGV[1], 'PX', WINDOW_MS_S)
  return 1
end
if ours then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
