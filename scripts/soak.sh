#!/usr/bin/env bash
# Soak test: in each connection model, mixed chat with churn (the load suite's room-chat and churn scenarios at once)
# against a fresh server process, sampling its RSS, open descriptors and threads every second from /proc. Fails on
# any lost message (the suite's loss thresholds), on growth beyond the bounds below, or on a server that does not
# exit 0 after SIGTERM. Writes DIR/summary.md with the figures and, per mode, the suite's report (DIR/<mode>/report.html:
# its "server rss MB" and "server threads" charts are memory and threads over time) and the raw samples (samples.csv).
#   ./scripts/soak.sh                         10 minutes in each mode (about 21 minutes with the build)
#   ./scripts/soak.sh --duration 30s          a short one (CI; ./scripts/test.sh runs one)
#   ./scripts/soak.sh --modes async --clients 400 --rate 400 --churn 40 --out DIR
# Bounds (over the suite's measured seconds, after a warm-up of the first 20%: the median of the 80-95% window against the
# median of the 20-30% window): RSS may grow by 20% + 16 MB, threads and descriptors by 10% + 16. Within 30 s of the
# load's end, descriptors and threads must come back to within 16 (+10%) of what the idle server held before it
# (idle thread-pool workers take about 20 s to retire).
# Exit code: 0 passed; 1 a bound broke or a message was lost; 2 bad options or the run could not be set up.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-deps.sh
source scripts/lib/duration.sh


duration=600 modes="threads,async" clients=200 rate=200 churn=20 out=""
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { [ "$1" = -h ] || [ "$1" = --help ] || { echo "soak: $1 needs a value" >&2; exit 2; }; }
  case "$1" in
    --duration) duration=$(duration_seconds soak --duration "$2"); shift 2;;
    --modes) modes=$2; shift 2;;
    --clients) clients=$2; shift 2;;
    --rate) rate=$2; shift 2;;
    --churn) churn=$2; shift 2;;
    --out) out=$2; shift 2;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
    *) echo "soak: unknown option '$1' (see --help)" >&2; exit 2;;
  esac
done
[ "$duration" -ge 10 ] || { echo "soak: --duration must be at least 10s" >&2; exit 2; }
for n in "$clients" "$rate" "$churn"; do case "$n" in ''|*[!0-9]*) echo "soak: --clients, --rate, --churn take whole numbers" >&2; exit 2;; esac; done

ensure_run_packages
out=${out:-reports/soak-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$out"

echo "soak: building (Release)..."
for project in server/ChatLoad.Server/ChatLoad.Server.csproj loadtests/ChatLoad.LoadTests/ChatLoad.LoadTests.csproj; do
  dotnet build "$project" -c Release -nologo -v q >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; echo "soak: build of $project failed" >&2; exit 2; }
done
server_dll=server/ChatLoad.Server/bin/Release/net10.0/ChatLoad.Server.dll
suite_dll=loadtests/ChatLoad.LoadTests/bin/Release/net10.0/ChatLoad.LoadTests.dll

# Below the kernel's ephemeral range (32768 up), where outgoing connections do not take ports.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$(( 20000 + RANDOM % 12000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo "soak: no free port found" >&2; exit 2
}

# One line a second: seconds since start, phase, RSS kB, threads, open descriptors. Phases: idle (before the
# load), setup (the suite connecting), measured (room-chat's load running, read from the suite's progress lines),
# draining (the suite cleaning up), after (the suite gone, the server still up).
sample() {
  local pid=$1 file=$2 phase_file=$3 suite_log=$4 start measuring=0
  start=$(date +%s%N)
  echo "seconds,phase,rss_kb,threads,fds" >"$file"
  while [ -r "/proc/$pid/status" ]; do
    local rss threads fds now phase progress
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null) || break
    threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status" 2>/dev/null) || break
    fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
    now=$(date +%s%N)
    phase=$(cat "$phase_file")
    if [ "$phase" = load ]; then
      # room-chat's progress line says "inject" while its load runs, "init" before, "clean"/"done" after.
      progress=$(tail -n 6 "$suite_log" 2>/dev/null | grep 'room-chat: ' | tail -n 1) || progress=""
      case "$progress" in
        *" inject "*) [ "$measuring" = 2 ] && phase=draining || { phase=measured; measuring=1; } ;;
        *) if [ "$measuring" != 0 ]; then phase=draining; measuring=2; else phase=setup; fi ;;
      esac
    fi
    [ -n "$rss" ] && echo "$(( (now - start) / 1000000000 )),$phase,$rss,$threads,$fds" >>"$file"
    sleep 1
  done
}

# Median of column $2 over the "measured" rows whose index within the phase is in [$3%, $4%).
median_in() {
  local file=$1 column=$2 from=$3 to=$4
  awk -F, -v c="$column" -v from="$from" -v to="$to" '
    NR > 1 && $2 == "measured" { v[n++] = $c }
    END { for (i = 0; i < n; i++) if (i * 100 >= from * n && i * 100 < to * n) print v[i] }' "$file" |
    sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print 0; else print a[int((NR + 1) / 2)] }'
}
phase_median() {
  awk -F, -v c="$2" -v p="$3" 'NR > 1 && $2 == p { print $c }' "$1" | sort -n |
    awk '{ a[NR] = $1 } END { if (NR == 0) print 0; else print a[int((NR + 1) / 2)] }'
}
# Bound check: prints "ok" or "BROKEN"; $1 end, $2 baseline, $3 percent, $4 absolute slack.
within() { awk -v e="$1" -v b="$2" -v p="$3" -v s="$4" 'BEGIN { print (e <= b * (1 + p / 100) + s) ? "ok" : "BROKEN" }'; }

status=0
{
  echo "# Soak: $(date -u '+%Y-%m-%d %H:%M UTC'), ${duration}s per mode"
  echo
  echo "Load: room-chat ($clients clients in rooms of 10, $rate messages/s) and churn ($churn sessions of 2 clients at once, each"
  echo "connecting, joining, sending 3 messages and quitting) at the same time; server started with \`--flood-control off --max-connections-per-address 0 --connect-burst-per-address 0\`."
  echo "Bounds: RSS may grow 20% + 16 MB, threads and descriptors 10% + 16 (median of the 80–95% window of the run against the"
  echo "median of its 20–30% window, over the load suite's measured seconds); after the load, descriptors and threads back"
  echo "within 10% + 16 of the idle server."
  echo
  echo "| mode | RSS MB (base → end) | threads (base → end → after, idle) | descriptors (base → end → after, idle) | messages lost | SIGTERM | verdict |"
  echo "|---|---|---|---|---|---|---|"
} >"$out/summary.md"

for mode in ${modes//,/ }; do
  case "$mode" in threads|async) ;; *) echo "soak: --modes takes threads and/or async (got '$mode')" >&2; exit 2;; esac
  dir="$out/$mode"
  mkdir -p "$dir"
  for attempt in 1 2 3; do # a port picked as free can be taken before the server binds it: pick again
    port=$(free_port); metrics=$(free_port)
    while [ "$metrics" = "$port" ]; do metrics=$(free_port); done
    dotnet "$server_dll" --mode "$mode" --port "$port" --bind 127.0.0.1 --metrics-port "$metrics" --flood-control off --max-connections-per-address 0 --connect-burst-per-address 0 \
      >"$dir/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 300); do
      grep -q "Metrics endpoint" "$dir/server.log" 2>/dev/null && break
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.2
    done
    grep -q "Metrics endpoint" "$dir/server.log" && break
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    [ "$attempt" = 3 ] && { cat "$dir/server.log" >&2; echo "soak: the $mode server did not start" >&2; exit 2; }
  done
  echo "soak: $mode server on 127.0.0.1:$port (metrics $metrics), ${duration}s of load"

  echo idle >"$dir/phase"
  sample "$server_pid" "$dir/samples.csv" "$dir/phase" "$dir/loadtest.log" &
  sampler_pid=$!
  sleep 3

  cat >"$dir/soak-config.json" <<JSON
{
  "testName": "soak-$mode",
  "scenarios": [
    { "name": "room-chat", "target": "127.0.0.1:$port", "clients": $clients, "duration": "${duration}s",
      "customSettings": { "room-size": 10, "metrics": "127.0.0.1:$metrics" },
      "loadSimulations": [ { "type": "inject", "rate": $rate, "interval": "1s", "during": "${duration}s" } ] },
    { "name": "churn", "target": "127.0.0.1:$port", "clients": $churn, "duration": "${duration}s",
      "customSettings": { "messages": 3 } }
  ]
}
JSON
  : >"$dir/loadtest.log"
  echo load >"$dir/phase"
  suite_exit=0
  dotnet "$suite_dll" --config "$dir/soak-config.json" --report-dir "$dir" --threshold "churn/fail% < 1" >"$dir/loadtest.log" 2>&1 || suite_exit=$?
  echo after >"$dir/phase"
  # Let the server settle: idle thread-pool workers retire after about 20 s, closed sockets go at once. Up to 30 s,
  # ending early once threads and descriptors are back within the bound of the idle server's.
  thr_idle=$(phase_median "$dir/samples.csv" 4 idle); fd_idle=$(phase_median "$dir/samples.csv" 5 idle)
  for _ in $(seq 30); do
    sleep 1
    now_threads=$(awk '/^Threads:/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0)
    now_fds=$(ls "/proc/$server_pid/fd" 2>/dev/null | wc -l)
    [ "$(within "$now_threads" "$thr_idle" 10 16) $(within "$now_fds" "$fd_idle" 10 16)" = "ok ok" ] && break
  done
  sleep 2 # one more sample at the settled figures
  kill -TERM "$server_pid"
  server_exit=0
  for _ in $(seq 150); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$server_pid" 2>/dev/null; then server_exit="timeout"; kill -KILL "$server_pid"; fi
  wait "$server_pid" 2>/dev/null || server_exit=${server_exit/0/$?}
  [ "$server_exit" = timeout ] || wait "$server_pid" 2>/dev/null || true
  wait "$sampler_pid" 2>/dev/null || true

  s="$dir/samples.csv"
  rss_base=$(median_in "$s" 3 20 30); rss_end=$(median_in "$s" 3 80 95)
  thr_base=$(median_in "$s" 4 20 30); thr_end=$(median_in "$s" 4 80 95)
  fd_base=$(median_in "$s" 5 20 30); fd_end=$(median_in "$s" 5 80 95)
  thr_idle=$(phase_median "$s" 4 idle); fd_idle=$(phase_median "$s" 5 idle)
  thr_after=$(awk -F, 'NR > 1 && $2 == "after" { v = $4 } END { print v + 0 }' "$s")
  fd_after=$(awk -F, 'NR > 1 && $2 == "after" { v = $5 } END { print v + 0 }' "$s")
  # The scenarios' "lost" counters (result.json: "name": "lost", "unit": ..., "value": N), summed.
  lost=$(grep -A2 '"name": "lost"' "$dir/result.json" 2>/dev/null | sed -n 's/.*"value": *\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
  [ -f "$dir/result.json" ] || lost="unknown (no result.json)"

  checks="$(within "$rss_end" "$rss_base" 20 16384) $(within "$thr_end" "$thr_base" 10 16) $(within "$fd_end" "$fd_base" 10 16)"
  checks="$checks $(within "$thr_after" "$thr_idle" 10 16) $(within "$fd_after" "$fd_idle" 10 16)"
  measured=$(awk -F, 'NR > 1 && $2 == "measured"' "$s" | wc -l)
  verdict=passed
  case "$checks" in *BROKEN*) verdict="growth beyond the bound";; esac
  [ "$measured" -ge 5 ] || verdict="only $measured samples while the load ran: nothing to judge"
  [ "$suite_exit" = 0 ] || verdict="load suite exit $suite_exit (a threshold broke: see $mode/report.md)${verdict/passed/}"
  [ "$server_exit" = 0 ] || verdict="server exit $server_exit after SIGTERM; $verdict"
  [ "$verdict" = passed ] || status=1
  mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
  echo "| $mode | $(mb "$rss_base") → $(mb "$rss_end") | $thr_base → $thr_end → $thr_after, idle $thr_idle | $fd_base → $fd_end → $fd_after, idle $fd_idle | $lost | exit $server_exit | $verdict |" >>"$out/summary.md"
  echo "soak: $mode: RSS $(mb "$rss_base") → $(mb "$rss_end") MB, threads $thr_base → $thr_end (after $thr_after, idle $thr_idle), descriptors $fd_base → $fd_end (after $fd_after, idle $fd_idle), lost $lost, server exit $server_exit: $verdict"
done

{
  echo
  echo "Per mode: \`<mode>/report.html\` (the load suite's report; its gauges section charts server RSS and threads over"
  echo "time), \`<mode>/samples.csv\` (this script's samples: RSS, threads, descriptors each second), \`<mode>/server.log\`."
} >>"$out/summary.md"
echo "soak: report $out/summary.md"
[ "$status" = 0 ] && echo "soak: passed" || echo "soak: FAILED"
exit $status
