#!/usr/bin/env bash
# The inventory plugin apinizer.apiops.apinizer against the emulator:
#   ansible-inventory --graph and --list on the shipped example (playbooks/inventory/demo.apinizer.yml):
#     hosts, default groups, host vars, no token in the output;
#   a playbook over category_e_commerce with delegate_to: localhost: changed, then unchanged;
#   local.apinizer.yml (hostname template, environments, compose, groups, keyed_groups, file cache):
#     a playbook without delegate_to (ansible_connection local), served from the cache, then
#     --flush-cache;
#   the cache files: mode 0600 (a world-readable one tightened when read), the directory 0700, no token;
#   failures (with ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED, exported below): a refused token, a 401
#   that echoes the token, HTTP 403, an unknown project (both API styles, first or second of two),
#   a server error in a proxy read, names . and .. (before any request); what ansible-core does
#   without that setting (warns, exit 0) and with AWX's ANSIBLE_INVENTORY_UNPARSED_FAILED;
#   on_project_error: skip (the other project kept, a warning; fails when none can be read);
#   the http:// warning once per inventory read.
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
conf() {  # conf NAME LINE...: writes $out/NAME.apinizer.yml (plugin line first) and prints its path
  local file="$out/$1.apinizer.yml"
  shift
  { echo 'plugin: apinizer.apiops.apinizer'; printf '%s\n' "$@"; } > "$file"
  echo "$file"
}
says() {  # says FILE TEXT: FILE holds TEXT, however ansible-core wrapped its lines
  tr -s ' \n' '  ' < "$1" | grep -qF -- "$2" || { echo "FAIL: $1 lacks: $2"; cat "$1"; exit 1; }
}
no_token_in() {  # no_token_in TOKEN FILE...: not as is, nor split over wrapped lines (textwrap breaks at '-')
  local token=$1 file
  shift
  for file in "$@"; do
    if grep -qF -- "$token" "$file" || tr -d ' \n' < "$file" | grep -qF -- "$token"; then
      echo "FAIL: the token is in $file"; exit 1
    fi
  done
}
fails() {  # fails NAME CONFIG TEXT [ENV-ARGS...]: ansible-inventory --list exits non-zero, saying TEXT
  local name=$1 config=$2 text=$3
  shift 3
  if env "$@" ansible-inventory -i "$config" --list > "$out/$name.json" 2> "$out/$name.err"; then
    echo "FAIL: $name should fail the inventory"; cat "$out/$name.err"; exit 1
  fi
  says "$out/$name.err" "$text"
}
mode_of() { stat -c %a "$1"; }
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

# ---- the cache: owner-only, never the token ----------------------------------------------
# ansible-core's jsonfile writes each file 0644; the plugin makes it 0600, and the directory it
# created 0700.
[ "$(mode_of "$out/cache")" = 700 ] || { echo "FAIL: cache directory mode $(mode_of "$out/cache")"; exit 1; }
cache_files=("$out"/cache/*)
[ -e "${cache_files[0]}" ] || { echo "FAIL: no cache file"; exit 1; }
for file in "$out"/cache/*; do
  [ "$(mode_of "$file")" = 600 ] || { echo "FAIL: $file has mode $(mode_of "$file")"; exit 1; }
done
no_token_in "$APINIZER_TOKEN" "$out"/cache/*
# A world-readable file (an earlier release left it so) is tightened when it is read.
chmod 644 "$out"/cache/*
clear_log
ansible-inventory -i local.apinizer.yml --list | check hosts=7
[ "$(requests_to /apiops/)" = 0 ]  # served from the cache
for file in "$out"/cache/*; do
  [ "$(mode_of "$file")" = 600 ] || { echo "FAIL: $file kept mode $(mode_of "$file")"; exit 1; }
done

# ---- failures: loud for any project, unless on_project_error: skip ---------------------------
if APINIZER_TOKEN=refused-token-7d1e ansible-inventory -i "$demo" --list > "$out/refused.json" 2> "$out/refused.err"; then
  echo "FAIL: a refused token should fail the inventory"; exit 1
fi
says "$out/refused.err" 'failed (HTTP 401)'
no_token_in refused-token-7d1e "$out/refused.json" "$out/refused.err"

# A 401 whose body echoes the token: masked, in the message and in the traceback at -vvvv.
emulator_add_fault '{"path": "/projects/Demo/apiProxies/$", "status": 401, "body": {"error": "invalid_token", "error_description": "Token '"$APINIZER_TOKEN"' is not valid"}}' > /dev/null
fails echoed-token "$demo" 'failed (HTTP 401): Token ******** is not valid' ANSIBLE_VERBOSITY=4
no_token_in "$APINIZER_TOKEN" "$out/echoed-token.json" "$out/echoed-token.err"

emulator_add_fault '{"path": "/projects/Demo/apiProxies/$", "status": 403, "body": {"error": "access_denied", "error_description": "Access is denied"}}' > /dev/null
fails forbidden "$demo" "Cannot list the API proxies of project 'Demo': Apinizer API GET /apiops/projects/Demo/apiProxies/ failed (HTTP 403): Access is denied"

emulator_add_fault '{"path": "/apiProxies/orders-api/$", "method": "GET", "status": 500}' > /dev/null
fails server-error "$demo" "Cannot read API proxy 'orders-api' of project 'Demo': Apinizer API GET /apiops/projects/Demo/apiProxies/orders-api/ failed (HTTP 500)"

two=$(conf two 'projects: [Demo, Nope]')
fails unknown-second "$two" "Cannot list the API proxies of project 'Nope': Apinizer API GET /apiops/projects/Nope/apiProxies/ failed (HTTP 404): Project 'Nope' not found"
fails unknown-first "$(conf nope-first 'projects: [Nope, Demo]')" "Cannot list the API proxies of project 'Nope'"
(
  start_emulator --quiet --api-style newer
  fails unknown-newer "$two" "failed (HTTP 400): Project (Nope) is not found or user does not have privilege to access it!"
)

# ansible-core itself only warns and goes on with no host, unless told otherwise; AWX's inventory
# sync sets ANSIBLE_INVENTORY_UNPARSED_FAILED=True (one source that fails is then an error).
env -u ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED ansible-inventory -i "$two" --list > "$out/core-warns.json" 2> "$out/core-warns.err"
check < "$out/core-warns.json" hosts=0
says "$out/core-warns.err" "Cannot list the API proxies of project 'Nope'"
fails awx-sync "$two" "Cannot list the API proxies of project 'Nope'" \
  -u ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED ANSIBLE_INVENTORY_UNPARSED_FAILED=true
# A playbook (a scheduled job) on that inventory fails too, instead of matching no host.
if ansible-playbook -i "$two" groups.yml > "$out/playbook.log" 2>&1; then
  echo "FAIL: a playbook on an inventory that fails should fail"; cat "$out/playbook.log"; exit 1
fi
says "$out/playbook.log" "Cannot list the API proxies of project 'Nope'"

# on_project_error: skip keeps the projects that can be read, and warns about the others.
ansible-inventory -i "$(conf skip 'projects: [Demo, Nope]' 'on_project_error: skip')" --list \
  > "$out/skip.json" 2> "$out/skip.err"
check < "$out/skip.json" hosts=7 category_e_commerce=Demo/orders-api,Demo/payments-api
says "$out/skip.err" "Project 'Nope' is left out of the inventory (on_project_error=skip): Cannot list the API proxies of project 'Nope'"
fails skip-all "$(conf skip-all 'projects: [Nope, Nix]' 'on_project_error: skip')" \
  "No project could be read (on_project_error=skip leaves out only some): Cannot list the API proxies of project 'Nope'"

# Names that URL normalisation would rewrite are refused before any request.
clear_log
fails dot-dot "$(conf dot-dot 'projects: [Demo, ..]')" "An entry of option projects must not be '..'"
fails dot "$(conf dot 'projects: [Demo]' 'environments: [.]')" "An entry of option environments must not be '.'"
[ "$(requests_to /)" = 0 ]

# ---- http:// warns once per inventory read, whatever the number of workers -------------------
APINIZER_WARN_ON_HTTP=true ansible-inventory -i "$demo" --list > /dev/null 2> "$out/http.err"
[ "$(tr -s ' \n' '  ' < "$out/http.err" | grep -oF 'Option url (or APINIZER_URL) uses http://, so the token' | wc -l)" = 1 ] \
  || { echo "FAIL: the http:// warning is not there exactly once"; cat "$out/http.err"; exit 1; }
ansible-inventory -i "$demo" --list > /dev/null 2> "$out/no-http.err"  # APINIZER_WARN_ON_HTTP=false (setup_emulator)
if grep -qF 'http://' "$out/no-http.err"; then echo "FAIL: warn_on_http false still warns"; exit 1; fi

echo "inventory_apinizer: all checks passed"
