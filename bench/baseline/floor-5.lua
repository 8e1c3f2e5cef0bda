-- The least Redis work an accepted query of SPEC §2.3 and §10 could be, as far as we can see (bench only,
-- issue 11): both per-IP logs read and the hit counted, the code read and consumed in one GETDEL (a code
-- stored as one string), the window started, and the job's data in its stream entry (no job hash: a
-- design where the worker makes the record). Five commands, nothing checked; the code key is never
-- seeded (a ceiling). KEYS and ARGV as floor-8.lua.
local logs = redis.call('MGET', KEYS[5], KEYS[6])
local hits = (logs[1] or '') .. ARGV[3]
if #hits > 1560 then hits = string.sub(hits, -1560) end
redis.call('SET', KEYS[5], hits, 'PX', '60000')
redis.pcall('GETDEL', KEYS[1]) -- pcall: a seeded code of ours is a hash (bench/submit_callgrind.py)
redis.call('SET', KEYS[2], ARGV[2], 'PX', '86400000', 'NX')
redis.call('XADD', KEYS[4], '*', 'q', ARGV[2], 'ca', ARGV[3], 'dl', ARGV[4], 'pd', ARGV[5], 'rid', ARGV[6])
return {'OK'}
