#!/usr/bin/env bash
# Regenerates the dashboard screenshots in docs/images/ (README "Dashboard"): runs the browser test that renders
# every main view in English and Korean against a real Kafka + PostgreSQL, with BIFROST_SCREENSHOT_DIR set.
# Korean text needs a CJK font: apt-get install fonts-noto-cjk (not needed for the tests themselves).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export BIFROST_SERVICES_DIR="${BIFROST_SERVICES_DIR:-$(mktemp -d /tmp/bifrost-shots.XXXXXX)}"
chmod 755 "$BIFROST_SERVICES_DIR"
trap '"$ROOT/scripts/test-services.sh" stop || true' EXIT
eval "$("$ROOT/scripts/test-services.sh" start)"
BIFROST_SCREENSHOT_DIR="$ROOT/docs/images" dotnet test tests/Bifrost.Tests -c Release --filter "FullyQualifiedName~Dashboard.ScreenshotTests"
ls -l "$ROOT"/docs/images/dashboard-*.png
