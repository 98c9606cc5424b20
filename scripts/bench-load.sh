#!/usr/bin/env bash
# Load and scale-out benchmark (docs/benchmarks.md, "Load and scale-out"): starts the real Kafka 0.9 broker and
# PostgreSQL 15 on free loopback ports (scripts/test-services.sh), builds Release, runs the `load` bench, which
# starts one, two and three `bifrost serve` processes in one consumer group, then stops the services.
#   scripts/bench-load.sh                                   # --sweep: raw ceiling, max, 25/50/75 %, 2 and 3 instances
#   scripts/bench-load.sh --rate 200 --soak-seconds 1800    # the 30-minute soak (memory every 30 s)
#   scripts/bench-load.sh --messages 50000 --instances 2    # one run; any `load` option (see bench/Bifrost.Bench/LoadBench.cs)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# A services folder made here is deleted afterwards (a bench run leaves gigabytes of broker log); a given one is kept.
SERVICES_END="$([[ -n "${BIFROST_SERVICES_DIR:-}" ]] && echo stop || echo destroy)"
export BIFROST_SERVICES_DIR="${BIFROST_SERVICES_DIR:-$(mktemp -d /tmp/bifrost-bench-services.XXXXXX)}"
mkdir -p "$BIFROST_SERVICES_DIR" && chmod 755 "$BIFROST_SERVICES_DIR"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
cleanup() { "$ROOT/scripts/test-services.sh" "$SERVICES_END" || true; }
trap cleanup EXIT
eval "$("$ROOT/scripts/test-services.sh" start)"
dotnet build bench/Bifrost.Bench -c Release -nologo -v minimal
args=("$@")
[[ $# -eq 0 ]] && args=(--sweep --messages 10000)
echo "commit: $(git rev-parse --short HEAD), cores: $(nproc), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/Bifrost.Bench/bin/Release/net10.0/Bifrost.Bench.dll load "${args[@]}" 2>&1 | grep -v -e CONFWARN -e 'Rejected to the DLQ'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
