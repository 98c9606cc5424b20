#!/usr/bin/env bash
# The one test command: starts a real Kafka broker and PostgreSQL on loopback (scripts/test-services.sh),
# runs every test project against them, stops them, and prints a closing "N passed, N failed" line.
#   scripts/test.sh                 # everything
#   scripts/test.sh --filter X      # extra args go to `dotnet test`
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# A services folder made here is deleted afterwards (a bench run leaves gigabytes of broker log); a given one is kept.
SERVICES_END="$([[ -n "${BIFROST_SERVICES_DIR:-}" ]] && echo stop || echo destroy)"
export BIFROST_SERVICES_DIR="${BIFROST_SERVICES_DIR:-$(mktemp -d /tmp/bifrost-test-services.XXXXXX)}"
mkdir -p "$BIFROST_SERVICES_DIR" && chmod 755 "$BIFROST_SERVICES_DIR"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

cleanup() { "$ROOT/scripts/test-services.sh" "$SERVICES_END" || true; }
trap cleanup EXIT
eval "$("$ROOT/scripts/test-services.sh" start)"

RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS"
bash "$ROOT/scripts/check-deploy.sh"
dotnet build Bifrost.slnx -c Release -nologo -v minimal
status=0
dotnet test Bifrost.slnx -c Release --no-build --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$RESULTS" "$@" || status=$?

# Sum the TRX counters into the plain closing line CI reads.
passed=0; failed=0; skipped=0
for trx in "$RESULTS"/*.trx; do
  [[ -f "$trx" ]] || continue
  line="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$line")"; f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$line")"
  n="$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$line")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
echo "$passed passed, $failed failed, $skipped skipped"
if [[ "$passed" == 0 && "$status" == 0 ]]; then echo "no test ran" >&2; exit 1; fi
exit "$status"
