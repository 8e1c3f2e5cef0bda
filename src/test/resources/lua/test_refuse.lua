-- For RedisScriptTest: a script whose every call Redis answers with an error (not NOSCRIPT).
-- KEYS: none. ARGV: none.
return redis.error_reply('ERR refused by the test script')
