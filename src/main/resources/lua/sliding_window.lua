-- Per-client limit: KEYS[1] the client's hit ring; ARGV: window_ms, max, member (unused).
-- Uses the Redis clock, so every node agrees on "now".
-- Returns {1, remaining} when the hit is counted, {0, retry_after_ms} when refused.
local ok, value = sliding_window_hit(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], now_ms(), true)
if ok then return {1, value} end
return {0, value}
