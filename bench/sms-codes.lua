-- wrk script: each request asks for a code for the next number (13700000000 + i) with the seeded
-- captcha "c" + 21 digits of i (bench/SeedCaptchas.java, answer YZT8). Threads take disjoint ranges.
local counter = 0
function setup(thread)
  thread:set("base", counter * 10000000)
  counter = counter + 1
end
function init(args)
  -- an optional first argument skips numbers a previous round already used
  i = tonumber(args[1] or "0")
  base = base or 0
end
function request()
  local n = base + i
  i = i + 1
  local body = string.format('{"phone":"137%08d","captchaId":"c%021d","captchaCode":"YZT8"}', n, n)
  return wrk.format("POST", "/api/v1/sms-codes", {["Content-Type"] = "application/json"}, body)
end
function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
