-- wrk script for bench/api.py: GETs of one path, and with probability ESG_WRITE_SHARE a
-- data-entry write (POST /api/v1/requests/{id}/value with the version last seen).
--
-- Run with as many threads as connections (wrk -t N -c N): each thread then has one
-- connection, so request() and response() alternate and each answer's latency can be timed
-- per operation (wrk's own histogram mixes reads and writes). Each thread owns its share of
-- the data requests, so no two writes race for one request and none is refused as stale.
--
-- Environment: ESG_TOKEN (bearer token), ESG_READ_PATH (path to GET), ESG_WRITE_SHARE
-- (0..1), ESG_REQUESTS ("id:version,…", the requests to write to), ESG_THREADS (= -t),
-- ESG_VALUE_BASE (added to every value written, different per run).
-- done() prints one line "ESG_WRK {json}" for bench/api.py.
--
-- With ESG_WRITE_SHARE 0 (the floor and read-only phases) the script defines no response()
-- at all: wrk then neither keeps a body nor hands it to Lua (a KPI body is 326 KB, and
-- copying each into a Lua string took the client more CPU than the server used), and every
-- request being a read, wrk's own latency histogram is the reads' one. The server does
-- exactly the same work either way.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } esg_timespec;
int clock_gettime(int clk_id, esg_timespec *tp);
]]
local clock = ffi.new("esg_timespec")
local CLOCK_MONOTONIC = 1

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  local token = os.getenv("ESG_TOKEN")
  auth = { Authorization = "Bearer " .. token }
  post_headers = { Authorization = "Bearer " .. token, ["Content-Type"] = "application/json" }
  read_request = wrk.format("GET", os.getenv("ESG_READ_PATH"), auth)
  write_share = tonumber(os.getenv("ESG_WRITE_SHARE") or "0")
  value_base = tonumber(os.getenv("ESG_VALUE_BASE") or "0")
  local count = tonumber(os.getenv("ESG_THREADS"))
  mine, versions, k = {}, {}, 0
  for id, version in string.gmatch(os.getenv("ESG_REQUESTS") or "", "(%d+):(%d+)") do
    if k % count == index then
      table.insert(mine, tonumber(id))
      versions[tonumber(id)] = tonumber(version)
    end
    k = k + 1
  end
  math.randomseed(7919 * index + 17)
  turn, pending = 0, nil
  read_ms, write_ms = {}, {}
  acked, last = {}, {}      -- request id → acknowledged writes, last value acknowledged
  unanswered = {}           -- request id → writes sent since its last acknowledgement whose
                            -- answer was never read (timed out, or in flight at the end)
  codes = {}                -- "read 200" → count
end

local function note_unanswered(sent)
  if sent ~= nil and sent.op == "write" then
    local list = unanswered[sent.id] or {}
    list[#list + 1] = sent.value
    unanswered[sent.id] = list
  end
end

function request()
  note_unanswered(pending) -- a write whose answer never came (wrk reconnected after a timeout)
  if #mine > 0 and math.random() < write_share then
    turn = turn + 1
    local id = mine[(turn - 1) % #mine + 1]
    -- a new figure each time, in every phase: every write is a change (an unchanged value
    -- would be acknowledged without a new audit event)
    local value = value_base + index * 1000000 + turn
    pending = { op = "write", id = id, value = value, t = now_ms() }
    local body = string.format('{"version": %d, "value": %d, "unit": "t"}', versions[id], value)
    return wrk.format("POST", "/api/v1/requests/" .. id .. "/value", post_headers, body)
  end
  pending = { op = "read", t = now_ms() }
  return read_request
end

local function timed_response(status, headers, body)
  if pending == nil then
    return
  end
  local took = now_ms() - pending.t
  local key = pending.op .. " " .. status
  codes[key] = (codes[key] or 0) + 1
  if pending.op == "read" and (status == 200 or status == 304) then
    read_ms[#read_ms + 1] = took
  elseif pending.op == "write" and status == 200 then
    write_ms[#write_ms + 1] = took
    local id = pending.id
    versions[id] = tonumber(string.match(body, '"version":%s*(%d+)')) or versions[id]
    acked[id] = (acked[id] or 0) + 1
    last[id] = pending.value
    unanswered[id] = nil
  end
  pending = nil
end

-- wrk asks once, at start, whether the script has a response(): only when it writes
if tonumber(os.getenv("ESG_WRITE_SHARE") or "0") > 0 then
  response = timed_response
end

local function percentile(sorted, p)
  if #sorted == 0 then
    return -1
  end
  return sorted[math.max(1, math.min(#sorted, math.floor(p / 100 * (#sorted - 1) + 1.5)))]
end

local function summary_of(samples)
  table.sort(samples)
  return string.format('{"n": %d, "p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f}', #samples,
    percentile(samples, 50), percentile(samples, 99), percentile(samples, 100))
end

function done(summary, latency, requests)
  local reads, writes, parts, code_parts, written = {}, {}, {}, {}, {}
  local all_codes, versions_out, maybe = {}, {}, {}
  for _, thread in ipairs(threads) do
    for _, v in ipairs(thread:get("read_ms")) do reads[#reads + 1] = v end
    for _, v in ipairs(thread:get("write_ms")) do writes[#writes + 1] = v end
    for key, n in pairs(thread:get("codes")) do all_codes[key] = (all_codes[key] or 0) + n end
    local last_of = thread:get("last")
    for id, n in pairs(thread:get("acked")) do
      table.insert(written, string.format('"%d": [%d, %d]', id, n, last_of[id]))
    end
    local open = thread:get("unanswered")
    local sent = thread:get("pending") -- a write sent when wrk stopped may still land
    if sent ~= nil and sent.op == "write" then
      open[sent.id] = open[sent.id] or {}
      table.insert(open[sent.id], sent.value)
    end
    for id, values in pairs(open) do
      local parts_of = {}
      for _, v in ipairs(values) do parts_of[#parts_of + 1] = string.format("%d", v) end
      table.insert(maybe, string.format('"%d": [%s]', id, table.concat(parts_of, ", ")))
    end
    for id, v in pairs(thread:get("versions")) do
      table.insert(versions_out, string.format('"%d": %d', id, v))
    end
  end
  for key, n in pairs(all_codes) do
    table.insert(code_parts, string.format('"%s": %d', key, n))
  end
  local e = summary.errors
  local read_summary = summary_of(reads)
  if response == nil then -- read-only: wrk timed every answer, and counted the failed ones
    local ok = summary.requests - e.status
    read_summary = string.format('{"n": %d, "p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f}',
      ok, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000)
    code_parts = { string.format('"read 2xx/3xx": %d', ok) }
    if e.status > 0 then
      code_parts[2] = string.format('"read non-2xx/3xx": %d', e.status)
    end
  end
  io.write("ESG_WRK {",
    string.format('"seconds": %.3f, "requests": %d, ', summary.duration / 1e6, summary.requests),
    string.format('"connect_errors": %d, "read_errors": %d, "write_errors": %d, ',
      e.connect, e.read, e.write),
    string.format('"non_2xx_3xx": %d, "timeouts": %d, ', e.status, e.timeout),
    '"read": ', read_summary, ', "write": ', summary_of(writes), ', ',
    '"codes": {', table.concat(code_parts, ", "), '}, ',
    '"acked": {', table.concat(written, ", "), '}, ',
    '"unanswered": {', table.concat(maybe, ", "), '}, ',
    '"versions": {', table.concat(versions_out, ", "), '}}\n')
end
