-- A test of lib/hit_log.lua's log_take_back. KEYS: 1 a hit log. ARGV: 1 the time to take back.
-- Returns {the log afterwards (false when deleted), its PTTL}.
log_take_back(KEYS[1], ARGV[1])
return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}
