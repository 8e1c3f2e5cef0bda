-- wrk script: POST /api/v1/captcha (no body; KIND=audio in the environment: {"kind":"audio"});
-- prints a status histogram and the first error body
wrk.method = "POST"
if os.getenv("KIND") == "audio" then
  wrk.body = '{"kind":"audio"}'
  wrk.headers["Content-Type"] = "application/json"
else
  wrk.headers["Content-Length"] = "0"
end
local statuses = {}
local firstError = nil
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status ~= 201 and firstError == nil then firstError = body end
end
function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
