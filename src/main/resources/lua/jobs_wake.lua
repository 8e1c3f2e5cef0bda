-- Moves parked jobs whose time has come back onto the job stream.
-- KEYS[1] delayed set, KEYS[2] job stream; ARGV[1] now (ms), ARGV[2] max jobs to move
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, q in ipairs(due) do
  redis.call('ZREM', KEYS[1], q)
  redis.call('XADD', KEYS[2], '*', 'q', q)
end
return #due
