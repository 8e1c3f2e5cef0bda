-- wrk script: each request submits a query for the next seeded number (13900000000 + i, code 123456).
-- Threads take disjoint ranges so that no number is submitted twice. With a second argument N > 0,
-- each request comes through a trusted proxy from one of N client addresses in turn
-- (X-Forwarded-For: 10.x.y.z), so per-IP limits can stay as configured. With ACCEPT_ENCODING set (env),
-- every request carries it as Accept-Encoding, as browsers send "gzip, deflate, br".
local accept_encoding = os.getenv("ACCEPT_ENCODING")
local counter = 0
function setup(thread)
  -- sets the global `base` in that thread's own Lua state
  thread:set("base", counter * 10000000)
  counter = counter + 1
end
function init(args)
  -- an optional first argument skips numbers a previous run (the warm-up) already used
  i = tonumber(args[1] or "0")
  clients = tonumber(args[2] or "0")
  base = base or 0
end
function request()
  local n = base + i
  i = i + 1
  local body = string.format('{"phone":"139%08d","idLast6":"12345X","smsCode":"123456"}', n)
  local headers = {["Content-Type"] = "application/json"}
  if accept_encoding then headers["Accept-Encoding"] = accept_encoding end
  if clients > 0 then
    local k = n % clients
    headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(k / 65536) % 256, math.floor(k / 256) % 256, k % 256)
  end
  return wrk.format("POST", "/api/v1/queries", headers, body)
end
local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
