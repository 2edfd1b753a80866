#!/usr/bin/env bash
# Runs floxide-edge under strace for a few seconds and checks every system call it made against the unit's
# SystemCallFilter= (an allow list followed by ~deny lists, expanded with systemd-analyze syscall-filter).
# A call outside the filter would fail with EPERM under systemd (SystemCallErrorNumber=EPERM).
#   deploy/check-syscalls.sh [path/to/floxide-edge] [seconds]
# Needs strace and systemd-analyze. Exits 1 and lists the calls when any is filtered out.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="${1:-$here/../src/Floxide.Edge.Gateway/bin/Debug/net10.0/floxide-edge}"
seconds="${2:-8}"
unit="$here/floxide-edge.service"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

expand() {   # expand @groups recursively into syscall names
  local item
  for item in "$@"; do
    if [[ "$item" == @* ]]; then
      expand $(systemd-analyze syscall-filter --no-pager "$item" | sed -n '2,$p' | sed 's/#.*//' | tr -s ' ' '\n' | grep -v '^$')
    else
      echo "$item"
    fi
  done
}

allow=() deny=()
while IFS= read -r line; do
  value="${line#SystemCallFilter=}"
  if [[ "$value" == ~* ]]; then deny+=(${value#\~}); else allow+=($value); fi
done < <(grep '^SystemCallFilter=' "$unit")
expand "${allow[@]}" | sort -u > "$work/allowed"
expand "${deny[@]}" | sort -u > "$work/denied"
comm -23 "$work/allowed" "$work/denied" > "$work/effective"

echo '{}' > "$work/gateway.json"
DOTNET_EnableDiagnostics=0 FLOXIDE_EMBEDDEDBROKER__PORT=0 FLOXIDE_METRICS__PORT=19464 \
  FLOXIDE_SIMULATION__FLEETINTERVAL=00:00:00.100 FLOXIDE_HOST__STATEDIRECTORY="$work/state" \
  timeout -s TERM "$seconds" strace -f -qq -o "$work/trace" "$binary" run --plain --config "$work/gateway.json" > "$work/out" 2>&1 || true
grep -oE '^[0-9]+ +[a-z0-9_]+\(' "$work/trace" | awk '{print $2}' | tr -d '(' | sort -u > "$work/used"
grep -q 'drained its input' "$work/out" || { echo "check-syscalls: the gateway did not run and stop cleanly:"; cat "$work/out"; exit 1; }

blocked="$(comm -23 "$work/used" "$work/effective")"
if [ "$(id -u)" -eq 0 ]; then
  # SQLite (the outbox) hands a new WAL or journal file to the database's owner with fchown, but only when it runs
  # as root; the unit runs the gateway as its own user, so the call never happens there (and SQLite ignores its failure).
  blocked="$(grep -vx 'fchown' <<<"$blocked" || true)"
fi
echo "check-syscalls: $(wc -l < "$work/used") distinct system calls used, $(wc -l < "$work/effective") allowed by the unit"
if [ -n "$blocked" ]; then
  echo "check-syscalls: calls the unit's SystemCallFilter would refuse:"
  for call in $blocked; do echo "  $call ($(grep -c " $call(" "$work/trace") calls)"; done
  exit 1
fi
echo "check-syscalls: OK"
