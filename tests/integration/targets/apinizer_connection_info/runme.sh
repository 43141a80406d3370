#!/usr/bin/env bash
# apinizer_connection_info against the emulator in both API styles (only the newer
# where emulator.sh says so): one connection, a listing
# (one list request per type), filters, check mode, failures, and the round trip of every seeded
# connection through apinizer_connection (no change, no write). Each run is also a leak test:
# the -vvvv --diff output must hold none of the seed's secret values.
set -eu
source ../setup_emulator/emulator.sh
output_dir=${OUTPUT_DIR:-$(mktemp -d)}
mapfile -t seed_secrets < <(python - "$(dirname "$EMULATOR_SCRIPT")" <<'PY'
import json, os, sys
folder = sys.argv[1]
schema = json.load(open(os.path.join(folder, 'connection_types.json')))
secret_fields = set(name for spec in schema['types'].values() for name, field in spec['fields'].items()
                    if field.get('secret'))
seed = json.load(open(os.path.join(folder, 'seed.json')))
for project in seed['projects'].values():
    for connection in project.get('connections', []):
        for name in sorted(secret_fields & set(connection)):
            if connection[name]:
                print(connection[name])
PY
)
[ "${#seed_secrets[@]}" -gt 0 ] || { echo "no secrets found in the emulator seed" >&2; exit 1; }
for style in "${EMULATOR_STYLES[@]}"; do
  log="$output_dir/connection-info-$style.log"
  start_emulator --quiet --api-style "$style"
  if ! ansible-playbook -i localhost, -c local -e 'ansible_python_interpreter={{ ansible_playbook_python }}' -e "api_style=$style" \
      connection_info.yml -vvvv --diff "$@" > "$log" 2>&1; then
    tail -n 60 "$log"
    echo "FAILED: --api-style $style (full output: $log)" >&2
    exit 1
  fi
  for secret in "${seed_secrets[@]}" "$APINIZER_TOKEN" SeKrEt; do
    if grep -F -q -- "$secret" "$log"; then
      echo "LEAK ($style): a secret value ($(printf '%s' "$secret" | cut -c1-4)...) appears in $log" >&2
      exit 1
    fi
  done
  echo "== --api-style $style: $(grep -E '^localhost +: ok=' "$log"); no secret in $(wc -l < "$log") lines"
  stop_emulator
done
