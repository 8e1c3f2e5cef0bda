-- Takes back an issued code whose text the gateway definitely did not send, so the person may ask
-- again at once (the budgets are given back by sms_budget_undo.lua, in their own slot).
-- KEYS: 1 resend cooldown, 2 daily send log (a hit log of lib/hit_log.lua), 3 code hash
-- ARGV: 1 code_hash, 2 the issue's now_ms (13 digits: the hit to take back), 3 the code's field ('h' or
--       'c', as sms_code_issue.lua wrote it)
-- Returns 1.
if redis.call('HGET', KEYS[3], ARGV[3]) == ARGV[1] then
  redis.call('DEL', KEYS[3])
end
redis.call('DEL', KEYS[1])
log_take_back(KEYS[2], ARGV[2])
return 1
