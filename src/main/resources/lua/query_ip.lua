-- The per-client-IP step of POST /api/v1/queries (SPEC §2.3, §10), in the slot of the client's token,
-- before the number's step (query_submit.lua): lib/query_ip.lua's ip_step.
-- KEYS: 1 the client's query hit log, 2 its wrong-code log
-- ARGV: 1 now_ms (13 digits)
-- Returns {'OK'} or {'RATE_LIMITED', retry_after_ms, bucket}.
return ip_step(KEYS[1], KEYS[2], tonumber(ARGV[1]), ARGV[1]) or {'OK'}
