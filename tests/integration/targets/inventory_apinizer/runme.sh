#!/usr/bin/env bash
# The inventory plugin apinizer.apiops.apinizer against the emulator:
#   ansible-inventory --graph and --list on the shipped example (playbooks/inventory/demo.apinizer.yml):
#     hosts, default groups, host vars, no token in the output;
#   a playbook over category_e_commerce with delegate_to: localhost: changed, then unchanged;
#   local.apinizer.yml (hostname template, environments, compose, groups, keyed_groups, file cache):
#     a playbook without delegate_to (ansible_connection local), served from the cache, then
#     --flush-cache;
#   a refused token fails the inventory without showing the token.
set -eux -o pipefail
source ../setup_emulator/emulator.sh

root=$(cd ../../../.. && pwd)
demo="$root/playbooks/inventory/demo.apinizer.yml"
out=$(mktemp -d)
export ANSIBLE_NOCOLOR=true ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true ANSIBLE_INVENTORY_CACHE_CONNECTION="$out/cache"

check() { python check_inventory.py "$@"; }
recap() {  # LOG HOST PATTERN...: the PLAY RECAP line of HOST holds each pattern
  local log=$1 host=$2 line pattern
  shift 2
  line=$(grep -E "^$host +:" "$out/$log.log")
  for pattern in "$@"; do
    echo "$line" | grep -Eq "(^| )$pattern( |$)" || { echo "FAIL: $log: '$line' lacks $pattern"; exit 1; }
  done
}
requests_to() {  # how many requests the emulator logged whose path starts with $1
  emulator_requests | python -c 'import json, sys; print(sum(1 for r in json.load(sys.stdin) if r["path"].startswith(sys.argv[1])))' "$1"
}
clear_log() {
  python -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/_emulator/requests", method="DELETE"))' "$EMULATOR_URL"
}

start_emulator

# ---- the shipped example ------------------------------------------------------------------
ansible-inventory -i "$demo" --graph | tee "$out/graph.txt"
for group in project_demo type_rest type_soap type_websocket type_grpc category_e_commerce category_pci \
             category_crm category_market_data deployed_production deployed_test; do
  grep -q "@$group:" "$out/graph.txt" || { echo "FAIL: --graph lacks $group"; exit 1; }
done
if grep -q '@redeploy_required_' "$out/graph.txt"; then echo "FAIL: nothing needs a redeploy yet"; exit 1; fi

ansible-inventory -i "$demo" --list -vvvv > "$out/list-verbose.log" 2>&1
if grep -qF "$APINIZER_TOKEN" "$out/list-verbose.log"; then echo "FAIL: the token is in the output"; exit 1; fi
ansible-inventory -i "$demo" --list > "$out/list.json"
# What an AWX inventory update runs: the same hosts and groups
ansible-inventory -i "$demo" --list --export | check hosts=7 category_e_commerce=Demo/orders-api,Demo/payments-api
check < "$out/list.json" hosts=7 \
  project_demo='Demo/customer api,Demo/legacy-soap,Demo/live-feed,Demo/orders-api,Demo/partner-api,Demo/payments-api,Demo/pricing-grpc' \
  type_rest='Demo/customer api,Demo/orders-api,Demo/partner-api,Demo/payments-api' \
  category_e_commerce=Demo/orders-api,Demo/payments-api category_pci=Demo/payments-api \
  deployed_production=Demo/live-feed,Demo/orders-api,Demo/payments-api deployed_test=Demo/payments-api \
  in_maintenance= \
  'apinizer_name@Demo/payments-api="payments-api"' 'apinizer_project@Demo/payments-api="Demo"' \
  'apinizer_type@Demo/live-feed="WEBSOCKET"' 'apinizer_categories@Demo/payments-api=["E-commerce", "PCI"]' \
  'apinizer_relative_path@Demo/customer api="/customer-api"' \
  'apinizer_deployed_environments@Demo/payments-api=["production", "test"]' \
  'apinizer_deployments@Demo/orders-api={"production": {"deployed": true, "redeploy_required": false}, "test": {"deployed": false, "redeploy_required": false}, "staging": {"deployed": false, "redeploy_required": false}}' \
  'apinizer_maintenance_mode@Demo/orders-api=false'

# ---- a playbook through the inventory, tasks delegated to localhost -----------------------
ansible-playbook -i "$demo" maintenance.yml -e maintenance_enabled=true 2>&1 | tee "$out/on-1.log"
recap on-1 Demo/orders-api ok=1 changed=1 failed=0
recap on-1 Demo/payments-api ok=1 changed=1 failed=0
ansible-playbook -i "$demo" maintenance.yml -e maintenance_enabled=true 2>&1 | tee "$out/on-2.log"
recap on-2 Demo/orders-api ok=1 changed=0 failed=0
recap on-2 Demo/payments-api ok=1 changed=0 failed=0
ansible-inventory -i "$demo" --list | check in_maintenance=Demo/orders-api,Demo/payments-api \
  'apinizer_redeploy_required_environments@Demo/payments-api=[]'

# ---- options, connection local, cache -------------------------------------------------------
ansible-inventory -i local.apinizer.yml --list > "$out/local.json"
check < "$out/local.json" hosts=7 in_maintenance=orders-api,payments-api needs_redeploy= \
  sharing_INTERNAL=payments-api sharing_PROJECT=partner-api deployed_production=live-feed,orders-api,payments-api \
  'ansible_connection@customer-api="local"' \
  'apinizer_deployments@payments-api={"production": {"deployed": true, "redeploy_required": false}}'

clear_log
ansible-playbook -i local.apinizer.yml local.yml 2>&1 | tee "$out/off-1.log"
[ "$(requests_to /apiops/projects/Demo/environments/)" = 0 ]
recap off-1 orders-api ok=1 changed=1 failed=0
recap off-1 payments-api ok=1 changed=1 failed=0

# From the cache the inventory still says "in maintenance": the play runs and changes nothing,
# and the inventory itself sent no request.
clear_log
ansible-playbook -i local.apinizer.yml local.yml 2>&1 | tee "$out/off-2.log"
recap off-2 orders-api ok=1 changed=0 failed=0
recap off-2 payments-api ok=1 changed=0 failed=0
[ "$(requests_to /apiops/projects/Demo/apiProxies/ | tr -d '\n')" = 2 ]  # the module's GET of each proxy

# The cache still says so; --flush-cache (ansible-playbook; ansible-inventory has it from
# ansible-core 2.19) reads Apinizer again.
ansible-inventory -i local.apinizer.yml --list | check in_maintenance=orders-api,payments-api
ansible-playbook -i local.apinizer.yml groups.yml 2>&1 | tee "$out/groups-1.log"
grep -qF 'in_maintenance=[orders-api,payments-api]' "$out/groups-1.log"
ansible-playbook -i local.apinizer.yml groups.yml --flush-cache 2>&1 | tee "$out/groups-2.log"
grep -qF 'in_maintenance=[]' "$out/groups-2.log"
ansible-inventory -i local.apinizer.yml --list | check in_maintenance=

# ---- failures -------------------------------------------------------------------------------
if APINIZER_TOKEN=refused-token-7d1e ansible-inventory -i "$demo" --list > "$out/refused.json" 2> "$out/refused.err"; then
  echo "FAIL: a refused token should fail the inventory"; exit 1
fi
grep -qF 'failed (HTTP 401)' "$out/refused.err"
if grep -qF 'refused-token-7d1e' "$out/refused.json" "$out/refused.err"; then echo "FAIL: the token is in the output"; exit 1; fi

echo "inventory_apinizer: all checks passed"
