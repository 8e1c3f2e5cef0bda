-- Parks a job that has nothing to do before a later time: it leaves the stream (so it holds no
-- worker slot) and waits in a sorted set scored by its wake-up time. Atomic, so it is never lost.
-- KEYS[1] job hash, KEYS[2] job stream, KEYS[3] delayed set
-- ARGV[1] group, ARGV[2] stream entry id, ARGV[3] query id, ARGV[4] wake-up time (ms),
-- ARGV[5] retry attempts so far
-- A finished job is never parked (a worker that was paused while another one finished it would
-- otherwise put it back on the stream); its entry is acknowledged all the same.
local st = redis.call('HGET', KEYS[1], 'st')
if st and st ~= 'DONE' and st ~= 'FAILED' then
  redis.call('HSET', KEYS[1], 'ra', ARGV[5])
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
end
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return 1
