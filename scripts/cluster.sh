#!/usr/bin/env bash
# A load-agent cluster on this machine: Debian's nats-server on a free loopback port and N agents (sources 127.0.0.2,
# .3, ...), then the given command with --cluster URL --agents N added; everything stops when it ends (or on Ctrl+C).
#   ./scripts/cluster.sh --agents 3 -- loadtest --scenario room-chat --target 127.0.0.1:6667 --clients 3000 --rate 500 --duration 30s
#   ./scripts/cluster.sh --agents 3 -- compare --smoke
#   ./scripts/cluster.sh --agents 3        no command: keeps the cluster up until Ctrl+C and prints its URL
# Agents on several machines: README "Cluster runs". Agents' logs are kept in the folder printed at start.
# Exit code: the command's; 2 for a bad option; 1 when the cluster could not be started.
set -euo pipefail
cd "$(dirname "$0")/.."
agents=3
while [ $# -gt 0 ]; do
  case "$1" in
    --agents) agents=${2:-}; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cluster.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$agents" =~ ^[0-9]+$ ]] || [ "$agents" -lt 1 ] || [ "$agents" -gt 250 ]; then
  echo "cluster.sh: --agents '$agents': a whole number from 1 to 250" >&2; exit 2
fi
command=${1:-}
case "$command" in
  ""|loadtest|compare) [ $# -gt 0 ] && shift ;;
  *) echo "cluster.sh: the command is loadtest or compare, not '$command'" >&2; exit 2 ;;
esac
source scripts/lib/ensure-deps.sh
source scripts/lib/load-suite.sh
ensure_run_packages
ensure_cluster_packages
ensure_load_suite_built

logs=$(mktemp -d "${TMPDIR:-/tmp}/chatload-cluster.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# -p -1: nats-server picks a free port and logs it.
nats-server -a 127.0.0.1 -p -1 >"$logs/nats.log" 2>&1 &
pids+=($!)
url=""
for _ in $(seq 100); do
  url=$(sed -n 's/.*Listening for client connections on \(127\.0\.0\.1:[0-9]*\).*/nats:\/\/\1/p' "$logs/nats.log" | head -1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "cluster.sh: nats-server did not start: $(cat "$logs/nats.log")" >&2; exit 1; }

for i in $(seq "$agents"); do
  dotnet "$LOAD_DLL" agent --nats "$url" --name "agent$i" --source-ip "127.0.0.$((i + 1))" >"$logs/agent$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq "$agents"); do
  for _ in $(seq 600); do grep -q "agent agent$i: ready" "$logs/agent$i.log" 2>/dev/null && break; sleep 0.1; done
  grep -q "agent agent$i: ready" "$logs/agent$i.log" || { echo "cluster.sh: agent$i did not start: $(tail -5 "$logs/agent$i.log")" >&2; exit 1; }
done
echo "cluster: $agents agents on $url (logs: $logs)" >&2

case "$command" in
  "") echo "cluster: up until Ctrl+C; run with: --cluster $url --agents $agents" >&2; while true; do sleep 3600; done ;;
  loadtest) status=0; ./scripts/loadtest.sh "$@" --cluster "$url" --agents "$agents" || status=$? ;;
  compare) status=0; ./scripts/compare.sh "$@" --cluster "$url" --agents "$agents" || status=$? ;;
esac
exit "$status"
