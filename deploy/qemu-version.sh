#!/usr/bin/env bash
# Runs the linux-arm64 build's `--version` under qemu user-mode emulation, as a smoke test that the Pi binary starts.
# binfmt_misc is not mounted in containers, so qemu is called explicitly with Debian's arm64 cross libc as the root:
#   apt-get install qemu-user-static libc6-arm64-cross      (and deploy/publish.sh linux-arm64 first)
#   deploy/qemu-version.sh [path/to/arm64/floxide-edge]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="${1:-$here/out/linux-arm64-aot/floxide-edge}"
command -v qemu-aarch64-static >/dev/null || { echo "qemu-version.sh: apt-get install qemu-user-static" >&2; exit 69; }
[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || { echo "qemu-version.sh: apt-get install libc6-arm64-cross" >&2; exit 69; }
[ -x "$binary" ] || { echo "qemu-version.sh: no arm64 build at $binary; run deploy/publish.sh linux-arm64" >&2; exit 66; }
file "$binary" 2>/dev/null | grep -q 'ARM aarch64' || { echo "qemu-version.sh: $binary is not an arm64 executable" >&2; exit 65; }
output="$(qemu-aarch64-static -L /usr/aarch64-linux-gnu "$binary" --version)"
echo "$output"
[[ "$output" == *"linux-arm64"* ]] || { echo "qemu-version.sh: expected a linux-arm64 build" >&2; exit 1; }
