#!/usr/bin/env bash
# HTTP and gRPC benchmark of a running `bifrost serve` (built-in engine, embedded SQLite, auth and rate limits
# off so the numbers are the API's, not the limiter's). Everything in one run, side by side:
#   1. wrk GET  /health/live          — the server's floor: HTTP/1.1 + routing, no analysis, no storage
#   2. wrk POST /api/v1/analysis      — analyse now + store + answer (scripts/bench/post-analysis.lua)
#   3. bench grpc-load                — engine alone in-process, AnalyzeStream (window), unary Analyze
# Usage: scripts/bench-http.sh [seconds=15] [connections=32]
#   DATABASE_URL=postgresql://... scripts/bench-http.sh   # measure against PostgreSQL instead of SQLite
# Needs Debian's wrk (apt-get install -y wrk). Results: docs/benchmarks.md, section "HTTP and gRPC".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECONDS_PER_RUN="${1:-15}"
CONNECTIONS="${2:-32}"
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
HTTP_PORT="$(free_port)"; GRPC_PORT="$(free_port)"
WORK="$(mktemp -d /tmp/bifrost-bench-http.XXXXXX)"

dotnet build src/Bifrost -c Release -nologo -v q >/dev/null
dotnet build bench/Bifrost.Bench -c Release -nologo -v q >/dev/null

(
  cd "$WORK"
  export api__auth=disabled api__rate_limit_per_window=0 api__grpc_port="$GRPC_PORT" Logging__LogLevel__Default=Warning
  export DATABASE_URL="${DATABASE_URL:-sqlite:$WORK/bench.db}"
  exec "$ROOT/src/Bifrost/bin/Release/net10.0/bifrost" serve --urls "http://127.0.0.1:$HTTP_PORT" >"$WORK/serve.log" 2>&1
) &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$HTTP_PORT/health/live" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$HTTP_PORT/health/live" >/dev/null || { cat "$WORK/serve.log"; exit 1; }

echo "== machine: $(nproc) cores; server and load generator share them"
echo "== baseline: wrk GET /health/live (${SECONDS_PER_RUN}s, $CONNECTIONS connections)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "http://127.0.0.1:$HTTP_PORT/health/live"
echo "== wrk POST /api/v1/analysis (${SECONDS_PER_RUN}s, $CONNECTIONS connections)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s scripts/bench/post-analysis.lua "http://127.0.0.1:$HTTP_PORT/api/v1/analysis"
echo "== gRPC (h2c port $GRPC_PORT)"
dotnet run -c Release --no-build --project bench/Bifrost.Bench -- grpc-load --address "http://127.0.0.1:$GRPC_PORT" --seconds "$SECONDS_PER_RUN"
