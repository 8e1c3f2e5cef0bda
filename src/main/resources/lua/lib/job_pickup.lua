-- A worker's pick-up of a job, shared by job_load.lua (one job) and jobs_take.lua (the jobs of a read).
-- job_status: the status in a record read by HGETALL (a flat list), and where its 'st' and 'ua' values are.
local function job_status(all)
  local st, at_st, at_ua
  for i = 1, #all, 2 do
    local f = all[i]
    if f == 'st' then
      st, at_st = all[i + 1], i + 1
    elseif f == 'ua' then
      at_ua = i + 1
    end
  end
  return st, at_st, at_ua
end

-- job_start: an ACCEPTED job moves to VERIFYING; `all` becomes the record as written, without reading it again
local function job_start(key, all, at_st, at_ua, now)
  redis.call('HSET', key, 'st', 'VERIFYING', 'ua', now)
  all[at_st] = 'VERIFYING'
  if at_ua then
    all[at_ua] = now
  else
    all[#all + 1] = 'ua'
    all[#all + 1] = now
  end
end
