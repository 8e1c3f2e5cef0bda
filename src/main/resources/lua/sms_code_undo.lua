-- Takes back an issued code whose text the gateway definitely did not send, so the person may ask
-- again at once and the budgets count only texts that may have gone out.
-- KEYS: 1 resend cooldown, 2 daily send log, 3 code hash, 4 block budget log (both hit logs of
--       lib/hit_log.lua), 5 global budget log (a sorted set)
-- ARGV: 1 code_hash, 2 member, 3 the issue's now_ms (13 digits: the hit to take back from both logs),
--       4 the code's field ('h' or 'c', as sms_code_issue.lua wrote it)
-- Returns 1.
if redis.call('HGET', KEYS[3], ARGV[4]) == ARGV[1] then
  redis.call('DEL', KEYS[3])
end
redis.call('DEL', KEYS[1])
log_take_back(KEYS[2], ARGV[3])
log_take_back(KEYS[4], ARGV[3])
redis.call('ZREM', KEYS[5], ARGV[2])
return 1
