-- wrk script: replays pre-signed requests from a .req file (bench/sign.cpp) in rotation.
--   WHYGO_BENCH_REQ=path/to/mixed.req wrk -s bench/wrk.lua ...
-- Each thread starts at a different place in the rotation. The summary is printed as one
-- "key=value" line that bench/run.sh parses: latencies in microseconds.
local requests = {}
local next_index = 1

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do fields[#fields + 1] = field end
  return fields
end

local thread_counter = 0
function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_number", thread_counter)
end

function init(args)
  local path = os.getenv("WHYGO_BENCH_REQ")
  local file = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in file:lines() do
    if #line > 0 then
      local f = split(line)
      local headers = {}
      for i = 3, #f - 1, 2 do headers[f[i]] = f[i + 1] end
      requests[#requests + 1] = wrk.format("POST", f[1], headers, f[2])
    end
  end
  file:close()
  assert(#requests > 0, "no requests in " .. path)
  next_index = (((thread_number or 1) - 1) * 7) % #requests + 1
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

-- Optional pacing (closed loop, for a rough fixed rate): each connection waits this many
-- milliseconds before each request.
local pause = tonumber(os.getenv("WHYGO_BENCH_DELAY_MS") or "")
if pause then
  function delay() return pause end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d seconds=%.2f rps=%.0f p50=%d p90=%d p99=%d p999=%d max=%d non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
