#!/usr/bin/env bash
# The README's first command (`make demo`): sets up the pinned tools (.venv), puts this checkout
# on an Ansible collections path, starts the Apinizer emulator, and runs the runbooks against it:
#   1. the maintenance window, phase start: orders-api and payments-api into maintenance and
#      redeployed where they are deployed (production, test): changes the proxies;
#   2. the same run again: nothing left to do (changed=0, no write);
#   3. phase end: out of maintenance and redeployed;
#   4. the proxy baseline with --check --diff: a drift report that writes nothing;
#   5. a window that fails midway (the emulator refuses payments-api's write once): orders-api,
#      already in maintenance, goes back to the revision recorded before the window, verified
#      on the gateway pods, and the report says revision before, revision now, route verified.
# Every deploy is verified on the emulator's gateway pods (route-health). Each proxy is one
# Ansible host, so the runbooks work on the proxies in parallel (forks); the modules run inside
# Ansible's worker processes (direct execution), and the demo shows the line that says so.
# Then it stops the emulator and prints the PLAY RECAP totals, what the emulator received and
# how long it took. Needs no Apinizer and no network beyond the first set-up of .venv.
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$repo_root/hacking/venv.sh"

if ! compgen -G "$repo_root/plugins/modules/apinizer_*.py" > /dev/null; then
  echo "no modules yet: nothing to demo (plugins/modules/ is empty)"
  exit 0
fi
if [ ! -f "$repo_root/tests/emulator/apinizer_emulator.py" ]; then
  echo "no emulator yet: tests/emulator/apinizer_emulator.py is missing, nothing to demo against"
  exit 0
fi

# ansible-test's layout: <dir>/ansible_collections/apinizer/apiops, a copy of this checkout.
tree=$(python "$repo_root/hacking/build_tree.py")
export ANSIBLE_COLLECTIONS_PATH
ANSIBLE_COLLECTIONS_PATH=$(dirname "$(dirname "$(dirname "$tree")")")
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_DISPLAY_SKIPPED_HOSTS=false ANSIBLE_DEPRECATION_WARNINGS=false
logs="$repo_root/build/demo"
mkdir -p "$logs"

source "$repo_root/tests/integration/targets/setup_emulator/emulator.sh"
# shellcheck disable=SC2119  # no emulator options: its defaults
start_emulator
echo "== apinizer.apiops demo: emulator at $APINIZER_URL (project Demo, token in APINIZER_TOKEN)"

cd "$tree"
writes() {  # API writes the emulator received since the last call
  python - "$EMULATOR_URL" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
log = json.loads(urllib.request.urlopen(base + '/_emulator/requests').read().decode())
entries = log.get('requests', log) if isinstance(log, dict) else log
print(sum(1 for entry in entries if entry.get('method') in ('POST', 'PUT', 'PATCH', 'DELETE')))
urllib.request.urlopen(urllib.request.Request(base + '/_emulator/requests', method='DELETE')).read()
PY
}
run() {  # title, log name, ansible-playbook arguments...
  local title=$1 name=$2
  shift 2
  echo
  echo "== $title"
  echo "\$ ansible-playbook $*"
  ansible-playbook "$@" 2>&1 | tee "$logs/$name.log"
}
writes > /dev/null

window=(playbooks/maintenance_window.yml -e @playbooks/vars/maintenance_window.yml)
run "1/5 maintenance window, phase start: orders-api and payments-api into maintenance, redeployed" \
  window-start-1 "${window[@]}" -e maintenance_phase=start
writes_1=$(writes)
run "2/5 the same run again: the proxies are already in maintenance, nothing to do" \
  window-start-2 "${window[@]}" -e maintenance_phase=start
writes_2=$(writes)
run "3/5 maintenance window, phase end: out of maintenance, redeployed" \
  window-end "${window[@]}" -e maintenance_phase=end
writes_3=$(writes)
run "4/5 proxy baseline drift report (--check --diff): what applying it would change; nothing is written" \
  baseline-check playbooks/proxy_baseline.yml -e @playbooks/vars/proxy_baseline.yml --check --diff
writes_4=$(writes)
emulator_add_fault '{"method": "PATCH", "path": "payments-api/settings/maintenance-mode", "count": 1, "status": 500}' > /dev/null
run "5/5 a window that fails midway: orders-api goes back to its recorded revision, verified on the pods" \
  window-fails "${window[@]}" || true
writes_5=$(writes)
echo
echo "== which path the modules took (one task at -vvv)"
ansible localhost -m apinizer.apiops.apinizer_proxy_info -a 'project=Demo api_proxy=orders-api' -vvv > "$logs/path.log" 2>&1
grep -m 1 '^apinizer.apiops: ' "$logs/path.log"
stop_emulator

# The PLAY RECAP has one line per proxy (and localhost): print the totals.
recap() {
  awk '/^PLAY RECAP/ { recap = 1; next }
       recap && / : ok=/ { hosts++; for (i = 1; i <= NF; i++) if (split($i, kv, "=") == 2) sum[kv[1]] += kv[2] }
       END { printf "%d hosts: ok=%d changed=%d failed=%d skipped=%d rescued=%d", hosts, sum["ok"], sum["changed"],
             sum["failed"], sum["skipped"], sum["rescued"] }' "$logs/$1.log"
}
echo
echo "== summary"
echo "phase start:           $(recap window-start-1)   ($writes_1 API writes and deploys)"
echo "phase start again:     $(recap window-start-2)   ($writes_2 API writes: nothing to do)"
echo "phase end:             $(recap window-end)   ($writes_3 API writes and deploys)"
echo "baseline drift report: $(recap baseline-check)   ($writes_4 API writes)"
grep -Eo '"(Drift|No drift)[^"]*"' "$logs/baseline-check.log" | head -n 1 || true
echo "failed window:         $(recap window-fails)   ($writes_5 API writes, deploys and rollbacks)"
grep '^fatal' "$logs/window-fails.log" | grep -Eo 'Returned to the revision recorded before the window: [^"]*' | head -n 1 || true
echo "logs: build/demo/*.log; demo finished in ${SECONDS} s (set-up included)"
