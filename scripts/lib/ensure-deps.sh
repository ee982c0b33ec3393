# Sourced by the scripts: installs on a fresh machine what they need, from Debian's packages.
# Idempotent and quiet when everything is there already.

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then echo "need root to apt-get install ${missing[*]}" >&2; return 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_dotnet() {
  command -v dotnet >/dev/null || { echo "the .NET SDK (dotnet) is not on PATH" >&2; exit 2; }
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

ensure_test_packages() {
  ensure_dotnet
  apt_install chromium chromium-driver irssi weechat-curses tmux procps util-linux || echo "warning: could not install test packages" >&2
  ensure_peer_packages
  ensure_generator_packages
  ensure_cluster_packages
}

# Debian's nats-server (2.9) for cluster runs: the tests start it on a free loopback port, scripts/cluster.sh for a
# cluster on this machine. Installing it never starts its packaged service (no systemd here; policy-rc.d refuses).
ensure_cluster_packages() {
  apt_install nats-server || echo "warning: could not install nats-server (cluster runs need it on one machine)" >&2
}

# AFL++ for scripts/fuzz.sh (Debian's afl++ 4.04c; SharpFuzz drives it).
ensure_fuzz_packages() {
  ensure_dotnet
  apt_install afl++ || { echo "fuzz: could not install afl++" >&2; exit 2; }
}

ensure_run_packages() {
  ensure_dotnet
  apt_install procps util-linux || true
}

# The C compiler and make for the independent load generator (loadtests/independent-generator), which
# compare --scale-table and its tests build with make.
ensure_generator_packages() {
  apt_install gcc make libc6-dev || echo "warning: could not install gcc/make (the independent generator needs them)" >&2
}

# The comparison's reference servers (compare --peers) and Debian's own Python for the two Python peers. Installing a
# package here never starts its service: policy-rc.d refuses and there is no systemd; the comparison runs each
# server itself, in the foreground, with a config of its own.
ensure_peer_packages() {
  apt_install ngircd inspircd python3 || echo "warning: could not install the reference servers (ngircd, inspircd, python3)" >&2
}
