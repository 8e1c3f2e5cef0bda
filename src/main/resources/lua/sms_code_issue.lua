-- Issues an SMS code for one number: the pause switch, every per-number check and every write of
-- the number, in one atomic step on the slot of the number's shard (SPEC §2.2, §10, §11; the parts are
-- lib/sms_code.lua's). The send budgets ran before in their own round trip (sms_budget.lua: reserved,
-- and given back by the caller when this step refuses); when they refused, this step runs with
-- check_only, so that a per-number refusal still comes first (SPEC §2.2's order). On standalone and
-- Sentinel the whole code path is one script instead (sms_code_whole.lua).
-- KEYS: 1 query window (of the code's purpose: the internet-account or the phone-card window), 2 resend cooldown, 3 daily send log (a hit log of lib/hit_log.lua), 4 code hash,
--       5 the pause flag's copy in this shard
-- ARGV: 1 now_ms (the caller's clock, 13 digits), 2 code_hash, 3 "1": check only, write nothing,
--       4 the code's field ('h' for a code of purpose accounts, 'c' for cards), 5 the other purpose's field
--       (dropped: one live code per number)
-- Returns {'OK', 0} or {error_code, retry_after_ms}.
-- Success path: MGET, HSET, PEXPIRE, SET … PX (cooldown), SET … PX (daily log), and HDEL when the number had a
-- code: five or six commands.
local refused, daily = code_check(KEYS, tonumber(ARGV[1]))
if refused then return refused end
if ARGV[3] == '1' then return {'OK', 0} end
code_write(KEYS, daily, ARGV[1], ARGV[2], ARGV[4], ARGV[5])
return {'OK', 0}
