-- Reserves one code text in the send budgets of SPEC §10 before the number's step (sms_code_issue.lua):
-- the number block's log and the part of the global budget it draws on, in one slot (the block's
-- shard) on a Redis Cluster (lib/sms_budget.lua). The caller gives the reservation back
-- (sms_budget_undo.lua) when the number's step refuses, so a refused number never spends the budgets.
-- KEYS: 1 number-block budget log (a hit log of lib/hit_log.lua), 2 global budget part (a sorted set)
-- ARGV: 1 now_ms (13 digits), 2 member (unique per code: its entry in the global part)
-- Returns {'OK', 0} or {'SMS_BUDGET_EXCEEDED', retry_after_ms, scope}.
return budget_reserve(KEYS[1], KEYS[2], tonumber(ARGV[1]), ARGV[1], ARGV[2]) or {'OK', 0}
