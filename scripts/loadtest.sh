#!/usr/bin/env bash
# Runs the chat load suite: builds it in Release when the build is missing or older than the sources, then hands
# every argument to it. Examples:
#   ./scripts/loadtest.sh --list
#   ./scripts/loadtest.sh --scenario ping-pong --target 127.0.0.1:6667 --clients 100 --duration 30s --threshold "p99 < 50ms"
#   ./scripts/loadtest.sh merge --report-dir reports/merged shard1/result.json shard2/result.json
# Exit code: 0 ok, 1 a threshold broke, 2 bad command line or config (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-deps.sh
ensure_run_packages

DLL=loadtests/ChatLoad.LoadTests/bin/Release/net10.0/ChatLoad.LoadTests.dll
# Rebuild when any source the suite depends on is newer than the built dll (or it does not exist yet).
if [ ! -f "$DLL" ] || [ -n "$(find loadtests server/ChatLoad.Irc common Directory.Build.props \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -newer "$DLL" -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]; then
  echo "building the load suite (Release)..." >&2
  dotnet build loadtests/ChatLoad.LoadTests/ChatLoad.LoadTests.csproj -c Release -nologo -v q >&2
fi

exec dotnet "$DLL" "$@"
