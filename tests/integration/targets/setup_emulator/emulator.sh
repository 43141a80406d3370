# shellcheck shell=bash
# Sourced by the runme.sh of integration targets (aliases: needs/target/setup_emulator).
#   start_emulator [emulator options...]  starts tests/emulator on a free loopback port and
#                                         exports APINIZER_URL, APINIZER_TOKEN, EMULATOR_URL
#   stop_emulator                         stops it (also run on exit)
#   emulator_requests                     prints the request log (JSON)
#   emulator_add_fault JSON               arms a fault (docs/emulator.md, fault injection)
#   emulator_count METHOD...              prints how many logged requests used one of these methods
#   emulator_matrix PLAYBOOK [options...] runs PLAYBOOK once per API style and GET proxy detail
# Playbooks run with ansible_python_interpreter={{ ansible_playbook_python }}, the controller's own
# Python, so that the modules take direct execution as a runbook's tasks do; the `python` that
# ansible-test puts first on PATH is a wrapper script, which would send every task down the module
# path (tests/integration/targets/direct_execution compares the two paths).
# It also puts the action plugin emulator_request (action_plugins/: uri's arguments, run on the
# controller) on ANSIBLE_ACTION_PLUGINS for the targets' calls to the emulator's admin endpoints.
EMULATOR_SCRIPT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../emulator" && pwd)/apinizer_emulator.py"
EMULATOR_PID=""
# emulator_request: the targets' calls to the emulator's admin endpoints, without a module process
ANSIBLE_ACTION_PLUGINS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/action_plugins"
export ANSIBLE_ACTION_PLUGINS

# The emulator modes a target runs against: API style (seed, newer) x GET proxy detail (full,
# documented). Every combination, unless a file emulator_modes beside this script says
# "current": then only the server that answers as Apinizer's current documentation does (newer
# style, documented detail). hacking/test.sh writes that file for a leg of the version matrix
# whose file says `# emulator modes: current` (the oldest core: the newest runs every mode).
if [ "$(cat "$(dirname "${BASH_SOURCE[0]}")/emulator_modes" 2>/dev/null)" = current ]; then
  EMULATOR_STYLES=(newer)
  EMULATOR_DETAILS=(documented)
else
  EMULATOR_STYLES=(seed newer)
  EMULATOR_DETAILS=(full documented)
fi

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
  # The emulator serves plain http on loopback, a lab: without this every task would warn that the
  # token crosses the network unencrypted (the warning itself is tested by the hostile_server target).
  case "$APINIZER_URL" in http://*) export APINIZER_WARN_ON_HTTP=false ;; esac
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

emulator_add_fault() {  # emulator_add_fault '{"method": "PATCH", "path": "settings/", "status": 503}'
  python - "$EMULATOR_URL" "$1" <<'PY'
import sys, urllib.request
request = urllib.request.Request(sys.argv[1] + '/_emulator/faults', data=sys.argv[2].encode(),
                                 headers={'Content-Type': 'application/json'}, method='POST')
sys.stdout.write(urllib.request.urlopen(request).read().decode() + '\n')
PY
}

emulator_count() {  # emulator_count PATCH POST PUT DELETE: the writes in the request log
  emulator_requests | python -c '
import json, sys
print(sum(1 for entry in json.load(sys.stdin) if entry["method"] in sys.argv[1:]))' "$@"
}

# emulator_matrix PLAYBOOK [ansible-playbook options...]
# Runs PLAYBOOK against one emulator per mode at once (every combination of --api-style and
# --proxy-detail, see EMULATOR_STYLES above), passing -e proxy_detail=<detail> -e api_style=<style>.
# Each run's output goes to a log under $OUTPUT_DIR (or a temporary folder); prints each run's
# recap, and the end of the log of every run that failed. Fails when any run failed.
emulator_matrix() {
  local playbook=$1 logs pids=() names=() failed=0 i detail style
  shift
  logs=${OUTPUT_DIR:-$(mktemp -d)}
  for detail in "${EMULATOR_DETAILS[@]}"; do
    for style in "${EMULATOR_STYLES[@]}"; do
      (
        start_emulator --quiet --api-style "$style" --proxy-detail "$detail"
        ansible-playbook -i localhost, -c local -e 'ansible_python_interpreter={{ ansible_playbook_python }}' \
          -e "proxy_detail=$detail" -e "api_style=$style" "$playbook" "$@"
      ) > "$logs/$(basename "$playbook" .yml)-$style-$detail.log" 2>&1 &
      pids+=($!)
      names+=("$style-$detail")
    done
  done
  for i in "${!pids[@]}"; do
    local log
    log="$logs/$(basename "$playbook" .yml)-${names[$i]}.log"
    if wait "${pids[$i]}"; then
      echo "== $playbook (${names[$i]}): $(grep -E '^localhost +: ok=' "$log" || echo 'no recap')"
    else
      failed=1
      tail -n 60 "$log"
      echo "FAILED: $playbook with --api-style/--proxy-detail ${names[$i]} (full output: $log)" >&2
    fi
  done
  return "$failed"
}
