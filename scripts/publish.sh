#!/usr/bin/env bash
# Builds the release artifacts into artifacts/ and checks that each one starts:
#   artifacts/publish/linux-x64/bifrost   self-contained single-file binary (what the Dockerfile ships)
#   artifacts/nupkg/Bifrost.Cli.*.nupkg   dotnet tool (`dotnet tool install -g Bifrost.Cli --add-source artifacts/nupkg`)
#   scripts/publish.sh [--no-tool]
# SOURCE_REVISION=<git sha> stamps the version where .git is absent (the Docker build context).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
RID="${RID:-linux-x64}"
OUT="$ROOT/artifacts/publish/$RID"
NUPKG="$ROOT/artifacts/nupkg"

echo "[publish] single-file self-contained $RID -> $OUT"
rm -rf "$OUT"
# IncludeNativeLibrariesForSelfExtract: librdkafka and e_sqlite3 travel inside the one file and are
# extracted on first start to $DOTNET_BUNDLE_EXTRACT_BASE_DIR (the Dockerfile points it at /tmp).
dotnet publish src/Bifrost/Bifrost.csproj -c Release -r "$RID" --self-contained \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none \
  ${SOURCE_REVISION:+-p:SourceRevisionId=$SOURCE_REVISION} \
  -o "$OUT" -nologo -v quiet
version="$("$OUT/bifrost" --version)"
echo "[publish] $OUT/bifrost --version: $version"

if [[ "${1:-}" != "--no-tool" ]]; then
  echo "[publish] dotnet tool package -> $NUPKG"
  rm -rf "$NUPKG"
  dotnet pack src/Bifrost/Bifrost.csproj -c Release -o "$NUPKG" -nologo -v quiet
  tools="$(mktemp -d)"
  trap 'rm -rf "$tools"' EXIT
  dotnet tool install Bifrost.Cli --tool-path "$tools" --add-source "$NUPKG" --version "$(sed -E 's/\+.*//' <<<"$version")" >/dev/null
  tool_version="$("$tools/bifrost" --version)"
  echo "[publish] dotnet tool bifrost --version: $tool_version"
  [[ "$tool_version" == "$version" ]] || { echo "[publish] tool reports $tool_version, binary $version" >&2; exit 1; }
fi
