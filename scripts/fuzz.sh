#!/usr/bin/env bash
# Fuzzes the chat core with AFL++ and SharpFuzz: the line framer, the parser and command dispatch, driven through
# fake connections by fuzz/ChatLoad.Fuzz (see SessionScript.cs for the input format and the bounds it checks).
#   ./scripts/fuzz.sh                      5 minutes
#   ./scripts/fuzz.sh --duration 45s       a short run (CI; ./scripts/test.sh runs one)
#   ./scripts/fuzz.sh --out DIR            where corpus, findings and summary go (default reports/fuzz-<UTC time>)
# From a fresh clone: installs afl++ (Debian) and the SharpFuzz.CommandLine tool (into .tools/), builds in Release,
# instruments copies of ChatLoad.Irc.dll and ChatLoad.Server.dll, fuzzes, and prints executions and corpus size.
# Exit code: 0 nothing broke; 1 a crash, a hang or a broken bound was found (the inputs are listed with the command
# that replays them); 2 the run could not be set up.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-deps.sh
source scripts/lib/duration.sh


duration=300
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) [ $# -ge 2 ] || { echo "fuzz: --duration needs a value" >&2; exit 2; }; duration=$(duration_seconds fuzz --duration "$2"); shift 2;;
    --out) [ $# -ge 2 ] || { echo "fuzz: --out needs a value" >&2; exit 2; }; out=$2; shift 2;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
    *) echo "fuzz: unknown option '$1' (see --help)" >&2; exit 2;;
  esac
done
[ "$duration" -ge 5 ] || { echo "fuzz: --duration must be at least 5s" >&2; exit 2; }

ensure_fuzz_packages
out=${out:-reports/fuzz-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$out"
log="$out/build.log"

echo "fuzz: building (Release)..."
dotnet build fuzz/ChatLoad.Fuzz/ChatLoad.Fuzz.csproj -c Release -nologo -v q >"$log" 2>&1 || { cat "$log" >&2; echo "fuzz: build failed" >&2; exit 2; }

tools=.tools/sharpfuzz
if [ ! -x "$tools/sharpfuzz" ]; then
  echo "fuzz: installing SharpFuzz.CommandLine 2.3.0 into $tools"
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >>"$log" 2>&1 || { cat "$log" >&2; exit 2; }
fi

# Instrument copies, so the build output stays as the tests use it (and instrumenting twice cannot happen).
bin="$out/bin"
rm -rf "$bin"
cp -r fuzz/ChatLoad.Fuzz/bin/Release/net10.0 "$bin"
for library in ChatLoad.Irc.dll ChatLoad.Server.dll; do
  "$tools/sharpfuzz" "$bin/$library" >>"$log" 2>&1 || { cat "$log" >&2; echo "fuzz: instrumenting $library failed" >&2; exit 2; }
done
rm -rf "$out/seeds" "$out/afl"
# Seeds and replays run the uninstrumented build: instrumented code writes to AFL's shared memory, which exists
# only under afl-fuzz. The seeds must pass before fuzzing means anything.
plain=fuzz/ChatLoad.Fuzz/bin/Release/net10.0/ChatLoad.Fuzz.dll
dotnet "$plain" --write-seeds "$out/seeds"
dotnet "$plain" --replay "$out"/seeds/* >"$out/seeds.log" 2>&1 || { cat "$out/seeds.log" >&2; echo "fuzz: a seed input already breaks a bound" >&2; exit 1; }

echo "fuzz: running AFL++ for ${duration}s (log: $out/afl.log)"
# Debian's core_pattern, CPU scaling and affinity checks do not apply to a .NET target driven by SharpFuzz; a
# dotnet start takes seconds, hence the long fork-server timeout. -t: an input running over 5 s counts as a hang.
export AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
export AFL_FORKSRV_INIT_TMOUT=120000 DOTNET_TieredPGO=0
afl-fuzz -i "$out/seeds" -o "$out/afl" -t 5000 -m none -V "$duration" -- dotnet "$bin/ChatLoad.Fuzz.dll" >"$out/afl.log" 2>&1 || true

stats="$out/afl/default/fuzzer_stats"
if [ ! -f "$stats" ]; then
  tail -n 30 "$out/afl.log" >&2
  echo "fuzz: AFL++ did not run (no $stats)" >&2
  exit 2
fi
stat() { sed -n "s/^$1 *: *//p" "$stats" | head -n 1; }
execs=$(stat execs_done); rate=$(stat execs_per_sec); corpus=$(stat corpus_count); edges=$(stat edges_found)
crashes=$(stat saved_crashes); hangs=$(stat saved_hangs); seconds=$(stat run_time)
summary="fuzz: ${execs} executions in ${seconds}s (${rate}/s), corpus ${corpus} inputs, ${edges} edges, ${crashes} crashes, ${hangs} hangs"
echo "$summary" | tee "$out/summary.txt"

if [ "${crashes:-0}" -gt 0 ] || [ "${hangs:-0}" -gt 0 ]; then
  mkdir -p "$out/findings"
  cp "$out"/afl/default/crashes/id* "$out"/afl/default/hangs/id* "$out/findings/" 2>/dev/null || true
  echo "fuzz: FAILED — inputs in $out/findings; replay with:" | tee -a "$out/summary.txt"
  echo "  dotnet $plain --replay $out/findings/*" | tee -a "$out/summary.txt"
  exit 1
fi
[ "${execs:-0}" -gt 0 ] || { echo "fuzz: no executions ran" >&2; exit 2; }
echo "fuzz: ok"
