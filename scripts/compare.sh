#!/usr/bin/env bash
# The comparison, the project's main job: builds the server and the load suite in Release, then for each server under
# test (our threads and async models) starts it as its own process, searches room-chat's highest sustainable load and
# runs the walls (idle-hold past the threads ceiling, a connect storm), each run a fresh load-generator process, stops
# it with SIGTERM, and writes reports/<UTC timestamp>/index.html with the answer first (plus summary.md, summary.csv).
#
#   ./scripts/compare.sh              default preset: about 5 minutes on a 2-core machine, build included
#   ./scripts/compare.sh --smoke      a few seconds per model (CI)
#   ./scripts/compare.sh --full       more client counts, finer searches, every point 3 times
#   ./scripts/compare.sh --baseline DIR --fail-if "p99 > +10%"    against an earlier run; exit 1 on a regression
#   ./scripts/compare.sh --peers      the same, with ngIRCd, InspIRCd and the two Python servers beside both models
#   ./scripts/compare.sh --cluster nats://127.0.0.1:4222 --agents 3   each rung's load on agents (scripts/cluster.sh starts them)
#   ./scripts/compare.sh --scale-table   issue 9's table with the independent C generator and the suite's own side by side
#                                        (about 20-25 minutes; --tiny for seconds; --scale-table --help for its options)
#   ./scripts/compare.sh --help       every option with its default
# Exit codes: 0 report written, 1 a --fail-if rule broke (or the comparison could not run), 2 bad command line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-deps.sh
ensure_run_packages
# The reference servers come from Debian's packages; only a run that may start one installs them.
for arg in "$@"; do
  case "$arg" in --peers|--servers|--scale-table) ensure_peer_packages; break ;; esac
done
for arg in "$@"; do
  case "$arg" in --scale-table) ensure_generator_packages; make -s -C loadtests/independent-generator; break ;; esac
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
