#!/usr/bin/env bash
# The README's first command (`make demo`): sets up the pinned tools (.venv), puts this checkout
# on an Ansible collections path, starts the Apinizer emulator, and runs the runbooks against it:
#   1. the maintenance window (orders-api and payments-api in and out of maintenance, deployed
#      to production and test): changes the proxies;
#   2. the same window again: nothing left to change (changed=0);
#   3. the proxy baseline with --check --diff: a drift report that writes nothing.
# Then it stops the emulator and prints the PLAY RECAP lines, what the emulator received and
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

run "1/3 maintenance window: orders-api and payments-api into maintenance, deployed, out again, deployed" \
  window-1 playbooks/maintenance_window.yml -e @playbooks/vars/maintenance_window.yml
writes_1=$(writes)
run "2/3 the same maintenance window again: the proxies already end as the window leaves them" \
  window-2 playbooks/maintenance_window.yml -e @playbooks/vars/maintenance_window.yml
writes_2=$(writes)
run "3/3 proxy baseline drift report (--check --diff): what applying it would change; nothing is written" \
  baseline-check playbooks/proxy_baseline.yml -e @playbooks/vars/proxy_baseline.yml --check --diff
writes_3=$(writes)
stop_emulator

recap() { grep -E '^localhost +:' "$logs/$1.log" | sed -E 's/ +/ /g'; }
echo
echo "== summary"
echo "maintenance window, run 1: $(recap window-1)   ($writes_1 API writes and deploys)"
echo "maintenance window, run 2: $(recap window-2)   ($writes_2 API writes and deploys: the window itself, no net change)"
echo "baseline drift report:     $(recap baseline-check)   ($writes_3 API writes)"
grep -Eo '"(Drift|No drift)[^"]*"' "$logs/baseline-check.log" | head -n 1 || true
echo "logs: build/demo/*.log; demo finished in ${SECONDS} s (set-up included)"
