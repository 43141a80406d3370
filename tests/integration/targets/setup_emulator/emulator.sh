# shellcheck shell=bash
# Sourced by the runme.sh of integration targets (aliases: needs/target/setup_emulator).
#   start_emulator [emulator options...]  starts tests/emulator on a free loopback port and
#                                         exports APINIZER_URL, APINIZER_TOKEN, EMULATOR_URL
#   stop_emulator                         stops it (also run on exit)
#   emulator_requests                     prints the request log (JSON)
EMULATOR_SCRIPT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../emulator" && pwd)/apinizer_emulator.py"
EMULATOR_PID=""

start_emulator() {
  local out
  out=$(mktemp)
  python "$EMULATOR_SCRIPT" --port 0 "$@" > "$out" 2> "$out.err" &
  EMULATOR_PID=$!
  for _ in $(seq 100); do
    [ -s "$out" ] && break
    sleep 0.05
  done
  APINIZER_URL=$(head -n 1 "$out")
  if [ -z "$APINIZER_URL" ]; then
    echo "emulator did not start:" >&2
    cat "$out.err" >&2
    return 1
  fi
  export APINIZER_URL EMULATOR_URL="$APINIZER_URL" APINIZER_TOKEN=apinizer-demo-token
  trap stop_emulator EXIT
}

stop_emulator() {
  if [ -n "$EMULATOR_PID" ]; then
    kill "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
    EMULATOR_PID=""
  fi
}

emulator_requests() {
  python -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1] + "/_emulator/requests").read().decode())' "$EMULATOR_URL"
}
