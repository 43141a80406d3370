#!/usr/bin/env bash
# Every documented connection type through create, repeat, update, check mode, diff, rename,
# type change and delete, against the emulator in both API styles (one playbook run each, in
# parallel; only the newer style where emulator.sh says so); each run is also the leak test: -vvvv --diff output must hold no secret.
set -eu
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh 2>/dev/null || true  # see below
# ansible-test runs this script from a copy under tests/output/.tmp/integration/, where the
# path emulator.sh derives does not exist: find tests/emulator from here upwards.
if [ ! -f "$EMULATOR_SCRIPT" ]; then
  dir=$(pwd)
  while [ "$dir" != / ] && [ ! -f "$dir/tests/emulator/apinizer_emulator.py" ]; do dir=$(dirname "$dir"); done
  EMULATOR_SCRIPT="$dir/tests/emulator/apinizer_emulator.py"
fi

export ANSIBLE_ROLES_PATH=../
export ANSIBLE_STDOUT_CALLBACK=default
export ANSIBLE_PIPELINING=true  # no temp file per task
output_dir=${OUTPUT_DIR:-$(mktemp -d)}

# Secret values the output must never show: every value of the vars file holding the marker
# SeKrEt, and the secrets of the emulator's seed (the playbook never sends those, so only the
# module's masking keeps them out; the fields are those connection_types.json marks secret).
mapfile -t playbook_secrets < <(grep -oE '[A-Za-z0-9+/=_.-]*SeKrEt[A-Za-z0-9+/=_.-]*' playbooks/vars/connections.yml | sort -u)
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
[ "${#playbook_secrets[@]}" -gt 0 ] || { echo "no secret values found in the vars file" >&2; exit 1; }
[ "${#seed_secrets[@]}" -gt 0 ] || { echo "no secrets found in the emulator seed" >&2; exit 1; }
secrets=("${playbook_secrets[@]}" "${seed_secrets[@]}")

run_style() {  # run_style STYLE: one emulator, one playbook run, the leak test
  local style=$1 log="$output_dir/connection-$1.log" leaks=0 secret
  start_emulator --api-style "$style"
  if ! ansible-playbook -i localhost, -c local -e 'ansible_python_interpreter={{ ansible_playbook_python }}' \
      playbooks/connections.yml -vvvv --diff > "$log" 2>&1; then
    tail -n 80 "$log"
    echo "FAILED: playbook run with --api-style $style (full output: $log)" >&2
    return 1
  fi
  for secret in "${secrets[@]}" "$APINIZER_TOKEN"; do
    if grep -F -q -- "$secret" "$log"; then
      echo "LEAK ($style): a secret value ($(printf '%s' "$secret" | cut -c1-4)...) appears in $log" >&2
      leaks=$((leaks + 1))
    fi
  done
  if grep -F -q -- 'SeKrEt' "$log"; then
    echo "LEAK ($style): the secret marker appears in $log" >&2
    leaks=$((leaks + 1))
  fi
  [ "$leaks" -eq 0 ] || return 1
  echo "== --api-style $style: $(grep -E '^localhost +: ok=' "$log")"
  echo "   leak test passed: ${#secrets[@]} secret values and the token" \
       "absent from $(wc -l < "$log") lines of -vvvv --diff output"
  stop_emulator
}

pids=()
for style in "${EMULATOR_STYLES[@]}"; do
  ( run_style "$style" ) &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do
  wait "$pid" || failed=1
done
exit "$failed"
