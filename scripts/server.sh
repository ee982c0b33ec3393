#!/usr/bin/env bash
# Runs the chat server in the foreground, from a fresh clone:
#   ./scripts/server.sh --mode threads|async [--port 6667] [--bind 127.0.0.1] [--metrics-port 9100] [...]
# Builds in Release when the build is missing or older than the sources, then execs the server with the
# arguments as given (all switches: ./scripts/server.sh --help).
# SIGINT/SIGTERM shut it down gracefully (exit 0); bad options exit 2 with one line on stderr; port in use exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-deps.sh
ensure_run_packages

DLL=server/ChatLoad.Server/bin/Release/net10.0/ChatLoad.Server.dll
needs_build() {
  [ -f "$DLL" ] || return 0
  [ -n "$(find server common -newer "$DLL" \( -name '*.cs' -o -name '*.csproj' -o -name 'appsettings.json' \) -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]
}
if needs_build; then
  echo "building the server (Release)..." >&2
  dotnet build server/ChatLoad.Server/ChatLoad.Server.csproj -c Release -nologo -v q >&2
fi
exec dotnet "$DLL" "$@"
