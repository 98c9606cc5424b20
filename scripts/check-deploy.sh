#!/usr/bin/env bash
# Checks the deployment files with the real tools (run by scripts/test.sh before the tests):
#   - Prometheus: `promtool check config`, `promtool check rules`, and the alert unit tests (alerts.test.yml)
#   - docker-compose.yml against the Compose schema (`docker-compose config`, which needs no Docker daemon)
# The structural checks (Grafana dashboard, Kubernetes manifests, paths the Dockerfile/compose refer to,
# metric names used by the dashboard and alerts, runbook anchors) are tests in tests/Bifrost.Tests/Deploy.
# Installs its Debian prerequisites when missing (prometheus for promtool, docker-compose v1 for the schema).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
fail() { echo "[check-deploy] FAILED: $*" >&2; exit 1; }

need=()
command -v promtool >/dev/null || need+=(prometheus)
command -v docker-compose >/dev/null || need+=(docker-compose)
if ((${#need[@]})); then
  [[ "$(id -u)" == 0 ]] || fail "missing packages: ${need[*]} (apt-get install --no-install-recommends ${need[*]})"
  echo "[check-deploy] installing ${need[*]}" >&2
  # --no-install-recommends: docker-compose would otherwise pull in the whole Docker engine.
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"; } >/tmp/check-deploy-apt.log 2>&1 \
    || fail "apt-get install ${need[*]} (log: /tmp/check-deploy-apt.log)"
fi

prom=deploy/monitoring/prometheus
promtool check config "$prom/prometheus.yml" >/dev/null || fail "promtool check config $prom/prometheus.yml"
promtool check rules "$prom/alerts.yml" >/dev/null || fail "promtool check rules $prom/alerts.yml"
(cd "$prom" && promtool test rules alerts.test.yml >/dev/null) || fail "promtool test rules $prom/alerts.test.yml"
echo "[check-deploy] prometheus config, alert rules and alert unit tests: ok"

# `config -q` validates against the Compose schema and resolves interpolation; no daemon involved.
docker-compose -f docker-compose.yml config -q 2>&1 || fail "docker-compose.yml does not validate"
echo "[check-deploy] docker-compose.yml: ok"
