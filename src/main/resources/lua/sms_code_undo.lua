-- Takes back an issued code that could not be texted, so the person may ask again at once.
-- KEYS: 1 resend cooldown, 2 daily send log, 3 code hash; ARGV: 1 code_hash, 2 member
if redis.call('HGET', KEYS[3], 'h') == ARGV[1] then
  redis.call('DEL', KEYS[3])
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
