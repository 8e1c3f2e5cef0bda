-- One idempotent step of a job: stores fields and moves the status, only when the job is in one of
-- the expected states; optionally drops the personal data and acknowledges the stream entry.
-- KEYS[1] job hash, KEYS[2] job stream
-- ARGV[1] group, ARGV[2] expected states as ",A,B,", ARGV[3] new state or "", ARGV[4] now (ms),
-- ARGV[5] stream entry id to acknowledge and delete, or "", ARGV[6] "1" to drop personal data,
-- ARGV[7..] field/value pairs to set
-- Returns nil when the job no longer exists, else the job's state afterwards; prefixed with "~"
-- when nothing was written because the job was not in one of the expected states (its current
-- state, unchanged). A step that applies is progress: it resets the job's reclaim count (tr).
local function ack()
  if ARGV[5] ~= '' then
    redis.call('XACK', KEYS[2], ARGV[1], ARGV[5])
    redis.call('XDEL', KEYS[2], ARGV[5])
  end
end
-- the status and the reclaim count in one look: 'tr' exists only after a reclaim, so most steps delete nothing
local st_tr = redis.call('HMGET', KEYS[1], 'st', 'tr')
local st = st_tr[1]
if not st then
  ack()
  return false
end
if not string.find(ARGV[2], ',' .. st .. ',', 1, true) then
  -- a finished job needs nothing more: the entry goes even when another worker finished it
  if st == 'DONE' or st == 'FAILED' then
    ack()
  end
  return '~' .. st
end
-- one HSET and at most one HDEL per step (none unless the step drops something), whatever the number of fields
local set = {}
for i = 7, #ARGV do
  set[#set + 1] = ARGV[i]
end
if ARGV[3] ~= '' and ARGV[3] ~= st then
  set[#set + 1] = 'st'
  set[#set + 1] = ARGV[3]
  set[#set + 1] = 'ua'
  set[#set + 1] = ARGV[4]
  st = ARGV[3]
end
if #set > 0 then
  redis.call('HSET', KEYS[1], unpack(set))
end
local drop = {}
if st_tr[2] then drop[1] = 'tr' end
if ARGV[6] == '1' then
  for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
    if f == 'pd' or f == 'cv' or f == 'ra' or string.sub(f, 1, 2) == 'e:' then
      drop[#drop + 1] = f
    end
  end
end
if #drop > 0 then redis.call('HDEL', KEYS[1], unpack(drop)) end
ack()
return st
