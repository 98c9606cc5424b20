-- wrk script: POST /api/v1/analysis with a JSON body; a fresh request_id per request so each one is analysed
-- and stored (no idempotent re-use). Used by scripts/bench-http.sh.
local logs = {
  "ERROR HikariPool-1 - Connection is not available, request timed out after 30000ms",
  "java.lang.OutOfMemoryError: Java heap space",
  "upstream connect error or disconnect/reset before headers. reset reason: connection timeout",
  "FATAL: remaining connection slots are reserved for non-replication superuser connections",
  "ERROR Failed to write /var/lib/app/data.bin: No space left on device",
}
local counter = 0
local thread_id = 0

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  if os.getenv("BIFROST_API_KEY") then wrk.headers["X-API-Key"] = os.getenv("BIFROST_API_KEY") end
end

function request()
  counter = counter + 1
  local log = logs[(counter % #logs) + 1]
  local body = string.format(
    '{"log_content":"%s #%d","service_name":"bench-%d","environment":"prod","request_id":"wrk-%d-%d-%d"}',
    log, counter, counter % 7, thread_id, counter, os.time())
  return wrk.format(nil, nil, nil, body)
end
-- wrk itself reports non-2xx answers ("Non-2xx or 3xx responses"); no response() hook, it would slow wrk down.
