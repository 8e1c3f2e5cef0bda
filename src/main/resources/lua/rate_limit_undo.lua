-- Takes back one hit of a per-client limit (rate_limit.lua on lib/hit_log.lua): the IPv6 site's hit of
-- a request that a tier checked after it refused (SPEC §2.6: only what the /64 let through counts).
-- KEYS: 1 the hit log; ARGV: 1 the hit's now_ms as rate_limit.lua was given it (13 digits)
log_take_back(KEYS[1], ARGV[1])
return 1
