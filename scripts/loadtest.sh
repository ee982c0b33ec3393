#!/usr/bin/env bash
# Runs the chat load suite: builds it in Release when the build is missing or older than the sources, then hands
# every argument to it. Examples:
#   ./scripts/loadtest.sh --list
#   ./scripts/loadtest.sh --scenario ping-pong --target 127.0.0.1:6667 --clients 100 --duration 30s --threshold "p99 < 50ms"
#   ./scripts/loadtest.sh merge --report-dir reports/merged shard1/result.json shard2/result.json
#   ./scripts/loadtest.sh diff A/result.json B/result.json --fail-if "e2e p99 > +10%" --fail-if "throughput < -5%"
#   ./scripts/loadtest.sh agent --nats nats://10.0.0.5:4222 --name gen1 --source-ip 10.0.0.21     (a load agent; README "Cluster runs")
#   ./scripts/loadtest.sh --scenario room-chat --clients 30000 --rate 2000 --cluster nats://10.0.0.5:4222 --agents 3
# Exit code: 0 ok, 1 a threshold or regression rule broke, 2 bad command line or config, 3 target unreachable (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-deps.sh
ensure_run_packages

source scripts/lib/load-suite.sh
ensure_load_suite_built

exec dotnet "$LOAD_DLL" "$@"
