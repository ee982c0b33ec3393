#!/usr/bin/env bash
# Runs every test from a fresh clone: installs what the tests need (Debian's chromium + chromedriver for the
# real-browser report test, irssi + weechat + tmux for the real-client checks, afl++ for the fuzz run, ngircd +
# inspircd + python3 for the reference servers, nats-server for the cluster runs), builds, runs each test project in
# turn, then a short fuzz run and a short soak (each counted as one test), and prints the totals as
# "N passed, N failed, N skipped" on the last line.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-deps.sh
ensure_test_packages

CONFIG=${CONFIG:-Release}
dotnet build ChatLoad.sln -c "$CONFIG" -nologo -v q || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp -d)
status=0
for proj in tests/*/*.csproj; do
  name=$(basename "$proj" .csproj)
  echo "=== $name"
  dotnet test "$proj" -c "$CONFIG" --no-build -nologo \
    --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=normal" "$@" || status=1
done

# Short runs of the two hardening scripts: a minute of fuzzing the chat core, 30 s of soak in each mode.
script_passed=0; script_failed=0
for run in "fuzz.sh --duration 45s" "soak.sh --duration 30s"; do
  echo "=== scripts/$run"
  if ./scripts/$run --out "$results/${run%%.sh*}"; then script_passed=$((script_passed+1)); else script_failed=$((script_failed+1)); status=1; fi
done

passed=$script_passed; failed=$script_failed; skipped=0; found=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  found=$((found+1))
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed+${p:-0})); failed=$((failed+${f:-0})); skipped=$((skipped+${t:-0}-${e:-0}))
done
expected=$(ls tests/*/*.csproj | wc -l)
if [ "$found" -lt "$expected" ]; then
  echo "only $found of $expected test projects produced results (a test host crashed?)"
  failed=$((failed+expected-found)); status=1
fi
[ "$passed" -gt 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
