-- A worker's read of one job stream and the pick-up of the jobs it delivers, in one round trip (issue 23:
-- a round trip costs Redis 8-17 us, a command inside a script 0.3 us): picks up the jobs of entries a
-- blocking read already delivered (Lua cannot block), then reads up to ARGV[3] new entries without
-- blocking and picks up theirs, each as job_load.lua picks up a new entry's job (ACCEPTED moved to
-- VERIFYING; a job that no longer exists has its entry acknowledged and deleted). Runs after
-- lib/job_pickup.lua. The job records are not in KEYS: their keys are the shard's job-key prefix and the
-- query id, and they carry the stream's hash tag, so on a Redis Cluster the script stays in one slot.
-- KEYS[1] job stream
-- ARGV[1] group, ARGV[2] consumer, ARGV[3] how many new entries to read (0: none), ARGV[4] now (ms),
-- ARGV[5] the shard's job key less the query id, ARGV[6..] entry id, query id of each entry delivered
-- Returns a flat list, three items an entry: its id, its query id (nil: the entry names none; nothing
-- done), its job record as a flat list (nil: the job no longer exists).
local out = {}
local function take(id, q)
  out[#out + 1] = id
  out[#out + 1] = q
  if not q then
    out[#out + 1] = false
    return
  end
  local key = ARGV[5] .. q
  local all = redis.call('HGETALL', key)
  local st, at_st, at_ua = job_status(all)
  if not st then
    redis.call('XACK', KEYS[1], ARGV[1], id)
    redis.call('XDEL', KEYS[1], id)
    out[#out + 1] = false
    return
  end
  if st == 'ACCEPTED' then
    job_start(key, all, at_st, at_ua, ARGV[4])
  end
  out[#out + 1] = all
end
for i = 6, #ARGV, 2 do
  take(ARGV[i], ARGV[i + 1])
end
if ARGV[3] ~= '0' then
  local read = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], '>')
  if read then
    for _, e in ipairs(read[1][2]) do
      local q = false
      local f = e[2]
      if f then
        for i = 1, #f, 2 do
          if f[i] == 'q' then q = f[i + 1] end
        end
      end
      take(e[1], q)
    end
  end
end
return out
