-- Re-runs one dead-lettered job: its personal data goes back on the job hash, which starts again
-- from ACCEPTED (answers were dropped when it was dead-lettered), and a new entry goes on the job
-- stream; the dead-letter entry is deleted. All three keys are of one shard (one slot).
-- KEYS[1] dead-letter stream, KEYS[2] job stream, KEYS[3] the job hash the entry names (read by the
-- caller from the entry first); ARGV[1] dead-letter entry id, ARGV[2] now (ms), ARGV[3] the query id
-- Returns "REDRIVEN", "GONE" (the job expired or finished otherwise; the entry is deleted),
-- "NOT_REDRIVABLE" (a phone-card job: it keeps no name or ID number to run again with, SPEC §9; the
-- entry is deleted) or "MISSING" (no such entry).
local e = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #e == 0 then
  return 'MISSING'
end
local q, pd, kind = nil, nil, nil
local f = e[1][2]
for i = 1, #f, 2 do
  if f[i] == 'q' then q = f[i + 1] end
  if f[i] == 'pd' then pd = f[i + 1] end
  if f[i] == 'kd' then kind = f[i + 1] end
end
redis.call('XDEL', KEYS[1], ARGV[1])
if kind == 'cards' then
  return 'NOT_REDRIVABLE'
end
if not q or q ~= ARGV[3] or not pd or pd == '' then
  return 'GONE'
end
if redis.call('HGET', KEYS[3], 'st') ~= 'FAILED' or redis.call('HGET', KEYS[3], 'why') ~= 'dead-letter' then
  return 'GONE'
end
-- the trace of the first run becomes the one the rerun's new trace links to (SPEC §11)
local tp = redis.call('HGET', KEYS[3], 'tp')
redis.call('HDEL', KEYS[3], 'why', 'tr', 'ra', 'tp')
if tp then
  redis.call('HSET', KEYS[3], 'st', 'ACCEPTED', 'ua', ARGV[2], 'pd', pd, 'tl', tp)
else
  redis.call('HSET', KEYS[3], 'st', 'ACCEPTED', 'ua', ARGV[2], 'pd', pd)
end
redis.call('XADD', KEYS[2], '*', 'q', q)
return 'REDRIVEN'
