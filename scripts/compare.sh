#!/usr/bin/env bash
# The comparison, the project's main job: builds the server and the load suite in Release, then for each connection
# model starts the server as its own process, runs the chat scenarios over a ladder of client counts (each rung a
# fresh load-generator process), stops the server with SIGTERM, and writes reports/<UTC timestamp>/index.html with
# the models side by side (plus summary.md and summary.csv).
#
#   ./scripts/compare.sh              quick preset: about 5 minutes on a 2-core machine, up to thousands of clients
#   ./scripts/compare.sh --smoke      a few seconds per mode (CI)
#   ./scripts/compare.sh --full       up to 10,000 clients and on to the descriptor ceiling, 3 repeats per point
#   ./scripts/compare.sh --peers      the same, with ngIRCd, InspIRCd and the two Python servers beside both modes
#   ./scripts/compare.sh --help       every option (--modes, --servers, --scenarios, --repeat, --out, --plan, ...)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-deps.sh
ensure_run_packages
# The reference servers come from Debian's packages; only a run that may start one installs them.
for arg in "$@"; do
  case "$arg" in --peers|--servers) ensure_peer_packages; break ;; esac
done

CONFIG=Release
echo "building (Release)..."
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
for project in server/ChatLoad.Server/ChatLoad.Server.csproj loadtests/ChatLoad.LoadTests/ChatLoad.LoadTests.csproj; do
  # The build's output is shown only when it fails; a good build needs no screenful.
  if ! dotnet build "$project" -c "$CONFIG" -nologo -v q >"$build_log" 2>&1; then
    cat "$build_log" >&2
    echo "compare: build of $project failed" >&2
    exit 1
  fi
done

dotnet "loadtests/ChatLoad.LoadTests/bin/$CONFIG/net10.0/ChatLoad.LoadTests.dll" compare \
  --server-dll "server/ChatLoad.Server/bin/$CONFIG/net10.0/ChatLoad.Server.dll" "$@"
