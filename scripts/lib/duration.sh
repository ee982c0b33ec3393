# Sourced by the scripts that take a duration: whole seconds from "45s", "10m", "1h", "1m30s" or a bare number of
# seconds (the project's duration grammar, in whole seconds). On anything else: one line on stderr and exit 2.
#   seconds=$(duration_seconds soak --duration "$2")
duration_seconds() {
  local program=$1 switch=$2 text=$3 rest total=0 number unit
  rest=$text
  if [[ "$rest" =~ ^[0-9]+$ ]]; then echo "$rest"; return; fi
  [[ -n "$rest" ]] || { echo "$program: $switch needs a duration such as 45s, 10m, 1h or 1m30s" >&2; exit 2; }
  while [[ -n "$rest" ]]; do
    if [[ "$rest" =~ ^([0-9]+)(h|m|s)(.*)$ ]]; then
      number=${BASH_REMATCH[1]}; unit=${BASH_REMATCH[2]}; rest=${BASH_REMATCH[3]}
      case "$unit" in h) total=$(( total + 10#$number * 3600 ));; m) total=$(( total + 10#$number * 60 ));; s) total=$(( total + 10#$number ));; esac
    else
      echo "$program: $switch takes a duration such as 45s, 10m, 1h or 1m30s (got '$text')" >&2; exit 2
    fi
  done
  echo "$total"
}
