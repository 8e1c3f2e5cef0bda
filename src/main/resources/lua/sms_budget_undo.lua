-- Gives back a reservation of sms_budget.lua: the number's step refused, or the gateway definitely
-- did not send the text (SPEC §10: the budgets count only texts that may have gone out).
-- KEYS: 1 number-block budget log, 2 global budget part; ARGV: 1 member, 2 the reservation's now_ms
-- Returns 1.
log_take_back(KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
