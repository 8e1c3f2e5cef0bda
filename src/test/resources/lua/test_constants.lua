-- For RedisScriptTest: what the constants RedisScript writes in front look like to a script.
-- KEYS: none. ARGV: none. Returns {QUERY_MS + 1, QUERY_MS_S .. '!', type(QUERY_MS_S), LIMIT}.
return {QUERY_MS + 1, QUERY_MS_S .. '!', type(QUERY_MS_S), LIMIT}
