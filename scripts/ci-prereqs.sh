#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing (fresh machine). Idempotent.
set -euo pipefail
need=()
[[ -x /usr/lib/postgresql/15/bin/initdb ]] || need+=(postgresql-15)
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
command -v python3 >/dev/null || need+=(python3)
[[ -x /usr/bin/chromium ]] || need+=(chromium)  # dashboard browser tests (Playwright drives the Debian build)
if ((${#need[@]})); then
  if [[ "$(id -u)" == 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing packages: ${need[*]} (install them with apt-get)" >&2; exit 1
  fi
fi
