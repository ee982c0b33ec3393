#!/usr/bin/env bash
# The long variants of the fault tests (tests/ChatLoad.Server.Tests/Faults), outside CI: the same tests with 10,000
# connections opened and abandoned (CI opens 2,000), both modes, plus descriptor exhaustion and TLS handshakes
# stopping halfway. Prints each test's figures (RSS before/after, counts) and the totals.
#   ./scripts/faults.sh [--abandoned N]
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-deps.sh
ensure_test_packages

abandoned=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --abandoned) abandoned="$2"; shift 2 ;;
    *) echo "usage: $0 [--abandoned N]" >&2; exit 2 ;;
  esac
done

dotnet build tests/ChatLoad.Server.Tests -c Release -nologo -v q > /dev/null || { echo "build failed"; exit 1; }
CHATLOAD_ABANDONED_CONNECTIONS=$abandoned dotnet test tests/ChatLoad.Server.Tests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~ChatLoad.Server.Tests.Faults|FullyQualifiedName~TlsProtocolTests.Handshakes" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "RSS|limit [0-9]+,|Total tests:|Passed:|Failed:|^\s+Failed |Error Message" -A1 | grep -v '^--$'
exit "${PIPESTATUS[0]}"
