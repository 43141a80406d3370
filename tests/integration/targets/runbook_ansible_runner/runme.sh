#!/usr/bin/env bash
# The maintenance-window runbook run the way AWX / Automation Controller runs a job template:
# ansible_runner.run() with the connection only in environment variables rendered from the
# documented credential type, and the survey's defaults as extra variables (run_window.py).
# Checks the job status, changed (a window) and not changed (phase start or end run again), the
# emulator's state, that the token never reaches the job output, a wrong token, and TLS with the
# credential's CA bundle (private CA).
set -eux -o pipefail
source ../setup_emulator/emulator.sh

root=$(cd ../../../.. && pwd)
work=$(mktemp -d)
state() { python ../runbooks/state.py "$@"; }
job() { python run_window.py --root "$root" --url "$APINIZER_URL" "$@"; }

start_emulator
# A window writes and deploys on the way in and out: changed each time; the second leaves nothing
# different from how it found it.
job --token "$APINIZER_TOKEN" --expect-status successful --expect-changed yes \
  --expect-output 'Left different from how the run found them: orders-api, payments-api.'
state proxy orders-api 'maintenanceModeSetting.enabled=false' 'maintenanceModeSetting.httpStatusCode=503'
state proxy payments-api 'maintenanceModeSetting.enabled=false' 'maintenanceModeSetting.httpStatusCode=503'
state deployed orders-api production
state deployed payments-api production test

job --token "$APINIZER_TOKEN" --expect-status successful --expect-changed yes \
  --expect-output 'Left different from how the run found them: none.'

# The workflow with an approval node: phase start, then phase end; each run twice changes nothing
# the second time.
job --token "$APINIZER_TOKEN" -e '{"maintenance_phase": "start"}' --expect-status successful --expect-changed yes
state proxy orders-api 'maintenanceModeSetting.enabled=true'
job --token "$APINIZER_TOKEN" -e '{"maintenance_phase": "start"}' --expect-status successful --expect-changed no
job --token "$APINIZER_TOKEN" -e '{"maintenance_phase": "end"}' --expect-status successful --expect-changed yes
state proxy orders-api 'maintenanceModeSetting.enabled=false'
job --token "$APINIZER_TOKEN" -e '{"maintenance_phase": "end"}' --expect-status successful --expect-changed no

# A credential with a wrong token: the job fails on the first read and writes nothing.
state clear
job --token not-the-token --expect-status failed --expect-changed no --expect-output '(HTTP 401)'
[ "$(state writes)" = 0 ]
stop_emulator

# TLS with a private CA: the credential's CA bundle becomes a file and APINIZER_CA_PATH.
python make_ca.py "$work"
start_emulator --tls-cert "$work/server.pem" --tls-key "$work/server.key"
case "$APINIZER_URL" in https://*) ;; *) echo "FAIL: the emulator did not start with TLS: $APINIZER_URL"; exit 1 ;; esac
export SSL_CERT_FILE="$work/ca.pem"  # for state.py's own reads
job --token "$APINIZER_TOKEN" --ca-file "$work/ca.pem" --expect-status successful --expect-changed yes \
  -e '{"maintenance_http_status_code": 502, "maintenance_phase": "start"}'
state proxy orders-api 'maintenanceModeSetting.httpStatusCode=502' 'maintenanceModeSetting.enabled=true'
job --token "$APINIZER_TOKEN" --expect-status failed --expect-output 'TLS verification failed'
job --token "$APINIZER_TOKEN" --skip-tls-verify --expect-status successful --expect-changed no \
  -e '{"maintenance_http_status_code": 502, "maintenance_phase": "start"}'
stop_emulator

rm -rf "$work"
echo "runbook_ansible_runner: all checks passed"
