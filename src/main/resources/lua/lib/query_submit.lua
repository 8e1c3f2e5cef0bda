-- The number's step of POST /api/v1/queries (SPEC §2.3), shared by query_submit.lua (its own round trip,
-- the per-IP step before it in another slot) and query_whole.lua (the whole submission in one script,
-- standalone and Sentinel). K and A are query_submit.lua's KEYS and ARGV; see there.
-- Constants: WINDOW_MS, IDEMPOTENCY_TTL_MS, JOB_TTL_MS.

-- The stored code and the caller's are compared with ==, as are the two body hashes: both sides are
-- keyed digests (HMAC under the node's secret), and Lua 5.1 interns every string, so == compares two
-- addresses. What timing could tell, at most, is how many leading characters two HMAC outputs share,
-- which says nothing about any other guess without the key.
local function number_step(K, A)
  local idempotent = K[5] ~= nil
  if idempotent then
    local prev = redis.call('HMGET', K[5], 'b', 'r')
    if prev[1] then
      if prev[1] == A[7] then return {'REPLAY', prev[2]} end
      return {'IDEMPOTENCY_KEY_REUSED'}
    end
  end

  local now_s = A[3]

  local code = redis.call('HGET', K[1], 'h')
  if not code then
    return {'SMS_CODE_EXPIRED'}
  end
  if code ~= A[1] then
    local left = redis.call('HINCRBY', K[1], 'a', -1)
    if left <= 0 then
      redis.call('DEL', K[1])
      left = 0
    end
    return {'SMS_CODE_INVALID', left}
  end

  -- the window starts only if none is running; otherwise its time left is the answer and the code stays
  if not redis.call('SET', K[2], A[2], 'PX', WINDOW_MS_S, 'NX') then
    local w = redis.call('PTTL', K[2])
    if w < 0 then w = WINDOW_MS end
    return {'QUERY_LIMIT', w}
  end
  redis.call('DEL', K[1])
  -- no 'ua': it would equal 'ca' until the job moves, and a status reads 'ca' in its place (every node since
  -- f318c72 does; a rolling upgrade goes through that release first)
  local tp = A[idempotent and 9 or 7]
  if tp then
    redis.call('HSET', K[3], 'st', 'ACCEPTED', 'ca', now_s, 'dl', A[4], 'pd', A[5], 'rid', A[6], 'tp', tp)
  else
    redis.call('HSET', K[3], 'st', 'ACCEPTED', 'ca', now_s, 'dl', A[4], 'pd', A[5], 'rid', A[6])
  end
  redis.call('PEXPIRE', K[3], JOB_TTL_MS_S)
  redis.call('XADD', K[4], '*', 'q', A[2])
  if idempotent then
    redis.call('HSET', K[5], 'b', A[7], 'r', A[8])
    redis.call('PEXPIRE', K[5], IDEMPOTENCY_TTL_MS_S)
  end
  return {'OK'}
end
