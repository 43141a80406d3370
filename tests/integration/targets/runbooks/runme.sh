#!/usr/bin/env bash
# Runs the runbooks in playbooks/ against the emulator, as users run them (ansible-playbook with
# the example variables files, or with the inventory of API proxies), and checks the outcome in
# the PLAY RECAP (summed over the hosts: one per proxy, plus localhost), in the output and in the
# emulator's state:
#   maintenance window: a window changes, a second one leaves nothing different; phases start and
#     end, each idempotent; rollback after a failed deploy (staging) and after an injected API
#     fault; a failure in a later rolling batch (maintenance_serial) rolls back the earlier batch;
#     hosts from the inventory plugin (a group, --limit); an unknown proxy touches nothing; the
#     same against the emulator's newer API style;
#   proxy baseline: check-mode drift report (no writes), fail-on-drift, apply (redeploys only where
#     deployed), no drift, unknown option (nothing read), from the inventory (type_websocket);
#   connections: check mode, apply, apply again (no change), secrets never in the output,
#     the example vault only when asked for, no vault password -> clear failure.
set -eux -o pipefail
source ../setup_emulator/emulator.sh

here=$(pwd)
root=$(cd ../../../.. && pwd)
out=$(mktemp -d)
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false ANSIBLE_NOCOLOR=true
export ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true
window=("$root/playbooks/maintenance_window.yml" -e "@$root/playbooks/vars/maintenance_window.yml")
window_inv=("$root/playbooks/maintenance_window.yml" -i "$root/playbooks/inventory/demo.apinizer.yml")
baseline=("$root/playbooks/proxy_baseline.yml" -e "@$root/playbooks/vars/proxy_baseline.yml")
printf 'apinizer-demo\n' > "$out/vault-pass"
connections=("$root/playbooks/connections.yml" -e "@$root/playbooks/vars/connections.yml"
             -e connections_use_example_vault=true --vault-password-file "$out/vault-pass")

state() { python "$here/state.py" "$@"; }
run_ok() {  # NAME ARGS...: the playbook must succeed
  local name=$1
  shift
  ansible-playbook "$@" 2>&1 | tee "$out/$name.log" || { echo "FAIL: $name failed"; exit 1; }
}
run_fails() {  # NAME ARGS...: the playbook must fail
  local name=$1
  shift
  if ansible-playbook "$@" 2>&1 | tee "$out/$name.log"; then echo "FAIL: $name should have failed"; exit 1; fi
}
recap() {  # NAME PATTERN...: the PLAY RECAP, summed over its hosts, holds each pattern (e.g. changed=0, 'changed=[1-9][0-9]*')
  local name=$1 totals pattern
  shift
  totals=$(awk '/^PLAY RECAP/ { recap = 1; next }
                recap && / : ok=/ { for (i = 1; i <= NF; i++) if (split($i, kv, "=") == 2) sum[kv[1]] += kv[2] }
                END { for (key in sum) printf " %s=%d", key, sum[key] }' "$out/$name.log")
  for pattern in "$@"; do
    echo "$totals " | grep -Eq " $pattern " || { echo "FAIL: $name: the recap ($totals) lacks $pattern"; exit 1; }
  done
}
says() { grep -qF -- "$2" "$out/$1.log" || { echo "FAIL: $1: the output lacks: $2"; exit 1; }; }
never_says() { if grep -qF -- "$2" "$out/$1.log"; then echo "FAIL: $1: the output contains: $2"; exit 1; fi; }
no_writes() { [ "$(state writes)" = 0 ] || { echo "FAIL: $1 wrote to the API"; exit 1; }; }
maintenance() {  # ENABLED STATUS PROXY...
  local enabled=$1 status=$2 proxy
  shift 2
  for proxy in "$@"; do
    state proxy "$proxy" "maintenanceModeSetting.enabled=$enabled" "maintenanceModeSetting.httpStatusCode=$status"
  done
}

# ---- maintenance window ---------------------------------------------------------------------
start_emulator

# A window writes and deploys on the way in and on the way out: changed both times. The first
# leaves the proxies different (503 and the example message), the second leaves nothing different.
run_ok window-1 "${window[@]}"
recap window-1 'changed=[1-9][0-9]*' failed=0 rescued=0
says window-1 'Left different from how the run found them: orders-api, payments-api.'
says window-1 'What stays changed: orders-api: http_status_code, maintenance_message; payments-api: http_status_code, maintenance_message.'
maintenance false 503 orders-api payments-api
state proxy orders-api 'maintenanceModeSetting.contentType="application/json; charset=utf-8"'
# Redeployed only where deployed: orders-api is deployed in production only.
state deployed orders-api production
state undeployed orders-api test
state deployed payments-api production test

run_ok window-2 "${window[@]}"
recap window-2 'changed=[1-9][0-9]*' failed=0 rescued=0
says window-2 'Left different from how the run found them: none.'
says window-2 'Written or deployed by this run: orders-api, payments-api.'
maintenance false 503 orders-api payments-api

# A deploy to staging fails ("Gateway pods unreachable"): every proxy goes back to the revision
# recorded before the window (the seeded configuration, out of maintenance), verified in
# production; in staging the rollback's deploy fails (Apinizer still answers SUCCESS), so the
# settings are reversed too, whose deploy to staging fails again, and the run says so.
state reset orders-api=production,staging payments-api=production,test,staging
run_fails window-staging "${window[@]}" -e '{"maintenance_environments": ["production", "staging"], "maintenance_http_status_code": 502}'
recap window-staging failed=1 rescued=2
says window-staging 'Gateway pods unreachable'
says window-staging 'The maintenance mode settings themselves were saved.'
says window-staging 'Proxies the window touched: orders-api, payments-api.'
says window-staging 'Taken back out of maintenance: orders-api, payments-api;'
says window-staging 'Deployed revisions recorded before the window: orders-api: production revision 1, staging revision 1; payments-api: production revision 1, staging revision 1.'
says window-staging 'Returned to the revision recorded before the window: orders-api: production revision 1 before the window, revision 3 now (the configuration of revision 1), route verified; staging revision 1 before the window, not restored ('
says window-staging 'answered that the deploy failed (Gateway pods unreachable), with status SUCCESS'
says window-staging 'Rollback: orders-api: Deploying API proxy'
says window-staging 're-run with maintenance_phase=end'
maintenance false 403 orders-api payments-api
state deployed orders-api production
state deployed payments-api production

# An API fault on the second proxy's write: only the first was touched and goes back to its
# recorded revision (the settings themselves are not reversed: never 'Rollback:').
state fault '{"method": "PATCH", "path": "payments-api/settings/maintenance-mode", "count": 1, "status": 500, "body": "{\"error\": \"server_error\", \"error_description\": \"injected by the runbook test\"}", "content_type": "application/json"}'
run_fails window-fault "${window[@]}" -e maintenance_http_status_code=504
recap window-fault failed=1 rescued=1
says window-fault 'failed (HTTP 500): injected by the runbook test'
says window-fault 'Proxies the window touched: orders-api.'
says window-fault 'Taken back out of maintenance: orders-api; already out of maintenance: payments-api.'
says window-fault 'Returned to the revision recorded before the window: orders-api: production revision 3 before the window, revision 5 now (the configuration of revision 3), route verified.'
never_says window-fault 'Rollback:'
maintenance false 403 orders-api payments-api
state deployed orders-api production

# Re-running converges, then leaves nothing different.
run_ok window-3 "${window[@]}"
recap window-3 'changed=[1-9][0-9]*' failed=0
says window-3 'Left different from how the run found them: orders-api, payments-api.'
run_ok window-4 "${window[@]}"
recap window-4 failed=0
says window-4 'Left different from how the run found them: none.'
maintenance false 503 orders-api payments-api

# One proxy's deploy does not verify (pod 1 of production answers its first route-health read with
# an error, and verify_timeout 0 allows one read): the window has failed, and both proxies go back
# to their recorded revisions, verified on the pods.
state pods '{"environment": "production", "pod": 1, "proxy": "payments-api", "behaviour": "error", "message": "Route table reloading", "times": 1}'
run_fails window-unverified "${window[@]}" -e maintenance_verify_timeout=0
says window-unverified 'did not verify on the gateway pods'
says window-unverified 'http://10.0.1.12:8091 answered with an error (Route table reloading)'
says window-unverified 'Proxies the window touched: orders-api, payments-api.'
says window-unverified 'Taken back out of maintenance: orders-api, payments-api;'
never_says window-unverified 'route NOT verified'
never_says window-unverified 'not restored'
never_says window-unverified 'Rollback:'
maintenance false 503 orders-api payments-api
state deployed orders-api production
state deployed payments-api production test

# The recorded revision pruned from the deploy history (an emulator that keeps one record per
# proxy, so the window's own deploy prunes it): the rollback falls back to reversing the settings,
# and the report says so.
stop_emulator
start_emulator --history-limit 1
state fault '{"method": "PATCH", "path": "payments-api/settings/maintenance-mode", "count": 1, "status": 500, "body": "{\"error\": \"server_error\", \"error_description\": \"injected by the runbook test\"}", "content_type": "application/json"}'
run_fails window-pruned "${window[@]}" -e maintenance_http_status_code=504
says window-pruned 'Deployed revisions recorded before the window: orders-api: production revision 7; payments-api: production revision 12, test revision 3.'
says window-pruned 'orders-api: production revision 7 before the window, not restored (Revision 7 is not in the deploy history'
says window-pruned 'Taken back out of maintenance: orders-api; already out of maintenance: payments-api.'
never_says window-pruned 'Rollback:'
maintenance false 504 orders-api
stop_emulator
start_emulator

# Phases, with survey-style text (comma-separated) and a name with a space: each phase run twice
# changes nothing the second time.
phase=(-e '{"maintenance_api_proxies": "customer api, partner-api", "maintenance_environments": "production"}')
run_ok start-1 "${window[@]}" "${phase[@]}" -e maintenance_phase=start
recap start-1 'changed=[1-9][0-9]*' failed=0
maintenance true 503 'customer api' partner-api
run_ok start-2 "${window[@]}" "${phase[@]}" -e maintenance_phase=start
recap start-2 changed=0 failed=0
says start-2 'Written or deployed by this run: nothing.'
run_ok end-1 "${window[@]}" "${phase[@]}" -e maintenance_phase=end
recap end-1 'changed=[1-9][0-9]*' failed=0
maintenance false 503 'customer api' partner-api
run_ok end-2 "${window[@]}" "${phase[@]}" -e maintenance_phase=end
recap end-2 changed=0 failed=0

# Rolling batches of one proxy: the second batch fails, so the first one (already in maintenance,
# phase start) is rolled back too.
state fault '{"method": "PATCH", "path": "partner-api/settings/maintenance-mode", "count": 1, "status": 500, "body": "{\"error\": \"server_error\", \"error_description\": \"injected by the runbook test\"}", "content_type": "application/json"}'
run_fails serial-start "${window[@]}" "${phase[@]}" -e maintenance_phase=start -e maintenance_serial=1
says serial-start 'PLAY [Maintenance window] ***'
says serial-start 'Proxies the window touched: customer api.'
says serial-start 'Taken back out of maintenance: customer api; already out of maintenance: partner-api.'
maintenance false 503 'customer api' partner-api

# From the inventory plugin: a group, then --limit. apinizer_project comes from the host variables.
state reset
run_ok inv-start-1 "${window_inv[@]}" -e maintenance_hosts=category_e_commerce -e maintenance_environments=production \
  -e maintenance_phase=start
recap inv-start-1 'changed=[1-9][0-9]*' failed=0
says inv-start-1 'Proxies: orders-api, payments-api.'
maintenance true 503 orders-api payments-api
run_ok inv-start-2 "${window_inv[@]}" -e maintenance_hosts=category_e_commerce -e maintenance_environments=production \
  -e maintenance_phase=start
recap inv-start-2 changed=0 failed=0
run_ok inv-end-limit "${window_inv[@]}" --limit Demo/orders-api -e maintenance_environments=production -e maintenance_phase=end
recap inv-end-limit 'changed=[1-9][0-9]*' failed=0
says inv-end-limit 'Proxies: orders-api.'
maintenance false 503 orders-api
maintenance true 503 payments-api
run_ok inv-end "${window_inv[@]}" -e maintenance_hosts=category_e_commerce -e maintenance_environments=production -e maintenance_phase=end
says inv-end 'Left different from how the run found them: payments-api.'
maintenance false 503 orders-api payments-api

# A misspelled proxy fails in the preview, before anything is written.
state clear
run_fails window-unknown "${window[@]}" -e '{"maintenance_api_proxies": ["orders-api", "orders-apo"], "maintenance_http_status_code": 418}'
says window-unknown "API proxy 'orders-apo' was not found in project 'Demo'."
recap window-unknown failed=1 rescued=0
no_writes window-unknown
maintenance false 503 orders-api

# Missing variables fail with a message that names them.
run_fails window-novars "$root/playbooks/maintenance_window.yml"
says window-novars 'Set apinizer_project, maintenance_api_proxies and maintenance_environments'

# ---- proxy baseline ------------------------------------------------------------------------
state reset
state clear
run_ok baseline-check "${baseline[@]}" --check --diff
recap baseline-check 'changed=[1-9][0-9]*' failed=0
says baseline-check 'Drift (check mode, nothing was written): orders-api: metadata, connection settings;'
says baseline-check 'live-feed: metadata, connection settings, websocket settings.'
says baseline-check '"description": "Orders of the web shop"'
no_writes baseline-check

run_fails baseline-gate "${baseline[@]}" --check -e baseline_fail_on_drift=true
says baseline-gate 'API proxies that drifted from the baseline: orders-api, payments-api, live-feed.'
no_writes baseline-gate

run_ok baseline-apply "${baseline[@]}"
recap baseline-apply 'changed=[1-9][0-9]*' failed=0
says baseline-apply 'Brought back to the baseline:'
says baseline-apply 'Redeployed: orders-api (production), payments-api (production, test), live-feed (production).'
state proxy orders-api 'description="Orders of the web shop"' 'sharingType="BOTH"'
state proxy payments-api 'routing.connectionPoolManagementType="CUSTOM"' 'routing.customConnectionPoolSize=20'
state proxy live-feed 'routing.websocketSettings.maxRetries=5' 'routing.websocketSettings.autoReconnect=true'
state deployed orders-api production
state undeployed orders-api test
state deployed payments-api production test
state deployed live-feed production

state clear
run_ok baseline-recheck "${baseline[@]}" --check --diff
recap baseline-recheck changed=0 failed=0
says baseline-recheck 'No drift: the 3 API proxies match the baseline.'
run_ok baseline-reapply "${baseline[@]}"
recap baseline-reapply changed=0 failed=0
no_writes baseline-reapply

state clear
run_fails baseline-typo "${baseline[@]}" -e '{"baseline_api_proxies": [{"api_proxy": "orders-api", "connection": {"read_timout": 5}}]}'
says baseline-typo "connection ['read_timout']"
[ "$(state requests)" = 0 ] || { echo "FAIL: baseline-typo sent requests"; exit 1; }

# From the inventory: every WEBSOCKET proxy gets the websocket section of the defaults.
run_ok baseline-inv "$root/playbooks/proxy_baseline.yml" -i "$root/playbooks/inventory/demo.apinizer.yml" \
  -e baseline_hosts=type_websocket -e '{"baseline_defaults": {"websocket": {"max_retries": 7}}, "baseline_deploy_environments": ["production"]}'
recap baseline-inv 'changed=[1-9][0-9]*' failed=0
says baseline-inv 'Brought back to the baseline: live-feed: websocket settings.'
says baseline-inv 'Redeployed: live-feed (production).'
state proxy live-feed 'routing.websocketSettings.maxRetries=7'
state deployed live-feed production

# ---- connections ---------------------------------------------------------------------------
state clear
run_ok connections-check "${connections[@]}" --check --diff
recap connections-check 'changed=[1-9][0-9]*' failed=0
says connections-check 'ops-webhook: changed (present)'
no_writes connections-check
state absent-connection ops-webhook

run_ok connections-1 "${connections[@]}" --diff
recap connections-1 'changed=[1-9][0-9]*' failed=0
state connection smtp-alerts 'host="smtp.example.com"' 'port=587' 'password="demo-smtp-password"'
state connection orders-db 'jdbcUrl="jdbc:postgresql://orders-db.example.com:5432/orders"' 'password="demo-db-password"'
state connection ops-webhook 'fullUrl="https://chatops.example.com/hooks/apinizer"' 'httpMethod="POST"'

state clear
run_ok connections-2 "${connections[@]}" --diff
recap connections-2 changed=0 failed=0
no_writes connections-2

for log in connections-check connections-1 connections-2; do
  for secret in demo-smtp-password demo-db-password demo-chatops-token; do
    never_says "$log" "$secret"
  done
done

# The example vault only when asked for: asked for without its password, a clear failure.
run_fails connections-novault "$root/playbooks/connections.yml" -e "@$root/playbooks/vars/connections.yml" \
  -e connections_use_example_vault=true
says connections-novault 'no vault secrets'

# Not asked for: no vault is read, and secrets given as variables (inventory, host or extra vars)
# are used as given, merged deeply into the entry's type dict (host, port, ... stay).
cat > "$out/secrets.json" <<'JSON'
{"apinizer_connections": [{"name": "smtp-alerts", "description": "Alert mails of the operations team",
                           "email": {"host": "smtp.example.com", "port": 587, "enable_start_tls": true, "auth": true,
                                     "username": "alerts@example.com", "sender": "alerts@example.com"}}],
 "apinizer_connection_secrets": {"smtp-alerts": {"email": {"password": "given-smtp-password"}}}}
JSON
# (No --vault-password-file: loading the example vault would fail as connections-novault does.)
run_ok connections-given "$root/playbooks/connections.yml" -e "@$root/playbooks/vars/connections.yml" -e "@$out/secrets.json"
never_says connections-given 'given-smtp-password'
state connection smtp-alerts 'password="given-smtp-password"' 'host="smtp.example.com"' 'port=587'
stop_emulator

# ---- the newer API style (400 "... not found!", connection CRUD in the newer body style) ----
start_emulator --api-style newer
run_ok newer-1 "${window[@]}"
recap newer-1 'changed=[1-9][0-9]*' failed=0
run_ok newer-2 "${window[@]}"
says newer-2 'Left different from how the run found them: none.'
run_ok newer-start-1 "${window[@]}" -e maintenance_phase=start
recap newer-start-1 'changed=[1-9][0-9]*' failed=0
run_ok newer-start-2 "${window[@]}" -e maintenance_phase=start
recap newer-start-2 changed=0 failed=0
run_ok newer-end "${window[@]}" -e maintenance_phase=end
maintenance false 503 orders-api payments-api
run_fails newer-unknown "${window[@]}" -e '{"maintenance_api_proxies": ["orders-apo"]}'
says newer-unknown "API proxy 'orders-apo' was not found in project 'Demo'."
run_ok newer-connections-1 "${connections[@]}"
recap newer-connections-1 'changed=[1-9][0-9]*' failed=0
run_ok newer-connections-2 "${connections[@]}"
recap newer-connections-2 changed=0 failed=0
stop_emulator

rm -rf "$out"
echo "runbooks: all checks passed"
