-- Removes consumers of the job group that hold nothing and have been idle too long (their worker
-- is gone). Atomic, so a consumer is never removed while it holds an entry.
-- KEYS[1] job stream; ARGV[1] group, ARGV[2] idle limit (ms), ARGV[3] a consumer never to remove (the caller)
-- Returns the number of consumers removed.
local removed = 0
for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local name, pending, idle
  for i = 1, #c, 2 do
    if c[i] == 'name' then name = c[i + 1] end
    if c[i] == 'pending' then pending = tonumber(c[i + 1]) end
    if c[i] == 'idle' then idle = tonumber(c[i + 1]) end
  end
  if name ~= ARGV[3] and pending == 0 and idle > tonumber(ARGV[2]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], name)
    removed = removed + 1
  end
end
return removed
