-- Whether the job stream of the layout before sharding (yzt:jobs, no hash tag) is drained: no entry
-- left (every job finished or parked and woken), nothing parked. A drained stream is deleted, so
-- nodes stop reading it; the check and the delete are one step, so no entry is lost between them.
-- KEYS[1] the old stream, KEYS[2] its delayed set (both in one slot only off a Cluster, where the
-- old layout never ran). Returns 1 when drained (and now gone), else 0.
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('XLEN', KEYS[1]) > 0 then return 0 end
if redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
redis.call('DEL', KEYS[1])
return 1
