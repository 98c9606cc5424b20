#!/usr/bin/env bash
# Kafka pipeline benchmark (docs/benchmarks.md, "Kafka pipeline"): starts the real Kafka 0.9 broker and
# PostgreSQL 15 on free loopback ports, builds Release, runs `e2e-throughput`, stops the services.
#   scripts/bench-e2e.sh [--messages 200000] [--warmup 200000] [--runs 3] [--rate 1000] [--latency-seconds 10] [--unique-excerpts] [--with-knowledge] [--scenarios raw,bifrost,pipeline,latency]
#   scripts/bench-e2e.sh --cold-backlog --runs 3   # after an outage: 200,000 different real failures, fresh `bifrost serve`,
#                                                  # rate between 10 % and 90 % of the results, raw loop on the same bytes
#   [--serve-exe PATH] [--serve-env KEY=VALUE]...  # another build / runtime knobs for `bifrost serve` (paired runs)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# A services folder made here is deleted afterwards (a bench run leaves gigabytes of broker log); a given one is kept.
SERVICES_END="$([[ -n "${BIFROST_SERVICES_DIR:-}" ]] && echo stop || echo destroy)"
export BIFROST_SERVICES_DIR="${BIFROST_SERVICES_DIR:-$(mktemp -d /tmp/bifrost-bench-services.XXXXXX)}"
chmod 755 "$BIFROST_SERVICES_DIR"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
cleanup() { "$ROOT/scripts/test-services.sh" "$SERVICES_END" || true; }
trap cleanup EXIT
eval "$("$ROOT/scripts/test-services.sh" start)"
dotnet build bench/Bifrost.Bench -c Release -nologo -v minimal
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc), commit: $(git rev-parse --short HEAD)"
dotnet bench/Bifrost.Bench/bin/Release/net10.0/Bifrost.Bench.dll e2e-throughput "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
