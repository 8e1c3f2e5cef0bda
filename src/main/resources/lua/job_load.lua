-- Picks up one job for a pipeline worker.
-- KEYS[1] job hash, KEYS[2] job stream, KEYS[3] dead-letter stream
-- ARGV[1] group, ARGV[2] stream entry id, ARGV[3] now (ms), ARGV[4] "1" when the entry was
-- reclaimed from another (or a failed) run, ARGV[5] max deliveries, ARGV[6] query id,
-- ARGV[7] dead-letter stream cap (entries)
-- Returns nil when the job no longer exists (the entry is acknowledged and deleted), the string
-- "DEAD:<request id>" when it was moved to the dead-letter stream, else the job hash as a flat list (with an
-- ACCEPTED job moved to VERIFYING). Runs after lib/job_pickup.lua. A new entry's job is mostly picked up by
-- jobs_take.lua, with the read that delivered it; this one picks up reclaimed entries and reloads.
-- A dead-lettered job ends FAILED at once and its hash loses the personal data and answers; the
-- sealed personal data goes with its dead-letter entry (capped stream, swept after its retention) so an
-- operator can re-drive it; a phone-card job (kd = cards) keeps no name or ID number anywhere: its entry
-- holds none, and it cannot be re-driven (SPEC §9).
-- the whole record first: its status is among the fields (one command fewer than reading 'st' before it)
local all = redis.call('HGETALL', KEYS[1])
local st, at_st, at_ua = job_status(all)
if not st then
  redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
  redis.call('XDEL', KEYS[2], ARGV[2])
  return false
end
if ARGV[4] == '1' and st ~= 'DONE' and st ~= 'FAILED' then
  local tries = redis.call('HINCRBY', KEYS[1], 'tr', 1)
  all = nil -- read again below: the record changed
  if tries > tonumber(ARGV[5]) then
    local kind = redis.call('HGET', KEYS[1], 'kd') or ''
    local pd = ''
    if kind ~= 'cards' then pd = redis.call('HGET', KEYS[1], 'pd') or '' end
    redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[7], '*', 'q', ARGV[6], 'st', st, 'at', ARGV[3], 'pd', pd, 'kd', kind)
    -- the sealed data kept for a redrive expires: PipelineVerticle's periodic sweep removes entries
    -- older than pipeline.deadLetterRetentionSeconds, whether or not anything new is dead-lettered
    for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
      if f == 'pd' or f == 'cv' or f == 'ra' or f == 'tr' or string.sub(f, 1, 2) == 'e:' then
        redis.call('HDEL', KEYS[1], f)
      end
    end
    redis.call('HSET', KEYS[1], 'st', 'FAILED', 'ua', ARGV[3], 'why', 'dead-letter')
    -- SPEC §9: a dead-lettered job loses its personal data (sealed number, ID digits, answers)
    for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
      if f == 'pd' or f == 'cv' or string.sub(f, 1, 2) == 'e:' then
        redis.call('HDEL', KEYS[1], f)
      end
    end
    redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
    redis.call('XDEL', KEYS[2], ARGV[2])
    return 'DEAD:' .. (redis.call('HGET', KEYS[1], 'rid') or '')
  end
end
if st == 'ACCEPTED' then
  if all then
    job_start(KEYS[1], all, at_st, at_ua, ARGV[3])
  else
    redis.call('HSET', KEYS[1], 'st', 'VERIFYING', 'ua', ARGV[3])
  end
end
if not all then return redis.call('HGETALL', KEYS[1]) end
return all
