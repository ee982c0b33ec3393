#!/usr/bin/env bash
# Shutdown under load at issue 8's size, outside CI: SIGTERM while 5,000 clients chat in rooms of 50 and 20 HTTP
# clients hold the metrics port, in both modes (CI runs the same test with 1,000). Prints, per mode, the exit code,
# the time from SIGTERM to exit and how many clients read "ERROR :Server shutting down".
#   ./scripts/shutdown-load.sh [--clients N]
set -uo pipefail
cd "$(dirname "$0")/.."
clients=5000
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) clients="$2"; shift 2 ;;
    *) echo "usage: $0 [--clients N]" >&2; exit 2 ;;
  esac
done
dotnet build tests/ChatLoad.Server.Tests -c Release -nologo -v q > /dev/null || { echo "build failed"; exit 1; }
CHATLOAD_SHUTDOWN_CLIENTS=$clients dotnet test tests/ChatLoad.Server.Tests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~ShutdownUnderLoadTests" --logger "console;verbosity=detailed" 2>&1 \
  | grep -E "SIGTERM with|registered in rooms|Total tests:|Passed:|Failed:|^\s+Failed |Error Message" -A1 | grep -v '^--$'
exit "${PIPESTATUS[0]}"
