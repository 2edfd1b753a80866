#!/usr/bin/env bash
# Entry points used by README.md and .ci/run.
#   ./build.sh setup   install what the tests need, if missing, and restore packages
#   ./build.sh test    setup, then run every test project; exits non-zero on any failure
#   ./build.sh bench   run the BenchmarkDotNet suites (Release)
set -euo pipefail
cd "$(dirname "$0")"

results_dir="artifacts/test-results"

setup() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "build.sh: the .NET SDK 10 is required (dotnet was not found on PATH)" >&2
    exit 1
  fi
  # What the tests need besides the SDK, from Debian's packages when missing: mosquitto (the MQTT tests' broker,
  # started by their fixture), systemd-analyze (checks deploy/floxide-edge.service) and strace (check-syscalls.sh).
  local missing=()
  command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto mosquitto-clients)
  command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
  command -v strace >/dev/null 2>&1 || missing+=(strace)
  if [ "${#missing[@]}" -gt 0 ]; then
    local sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    echo "build.sh: installing ${missing[*]}"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  dotnet restore Floxide.Edge.sln --nologo -v quiet
}

run_tests() {
  setup
  rm -rf "$results_dir"
  dotnet test Floxide.Edge.sln --nologo --no-restore \
    --logger "trx" --logger "console;verbosity=minimal" \
    --results-directory "$results_dir" --blame-hang-timeout 5m "$@"
}

bench() {
  dotnet run -c Release --project tests/Floxide.Edge.Benchmarks -- "$@"
}

command="${1:-test}"
shift || true
case "$command" in
  setup) setup ;;
  test) run_tests "$@" ;;
  bench) bench "$@" ;;
  *) echo "usage: ./build.sh [setup|test|bench]" >&2; exit 2 ;;
esac
