#!/usr/bin/env bash
# Hostile servers (docs/reliability.md, "Hostile servers"): the modules against hostile.py, a reverse
# proxy in front of the emulator that answers chosen requests with redirects (and redirect loops),
# empty, HTML or "success: false" 200s, a drip that never ends, no answer at all, or a 401 that
# echoes the token and the request body. Each group of vars/cases.yml runs in one ansible-playbook
# run against its own emulator and hostile server, all groups at once; then the whole set runs once
# more at -vvvv --diff (also all at once), and that output, gathered into one log, and every
# registered module result of both passes are grepped for each secret value used: none may appear.
# Each group runs once on each path a module takes: direct execution in the worker (the action
# plugin) in one pass, the ordinary module path (APINIZER_DIRECT_EXECUTION=false) in the other.
# HOSTILE_TASK_SLACK: seconds a timed task may take for its own start beyond its bound (default 25).
# HOSTILE_CLOCK_SLACK: seconds a total_timeout may run out before its bounds on the hostile server's
# clock, which starts at the first attempt's arrival, not at the client's start (default 0.5).
set -eu
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh
# ansible-test may run this script from a copy where the path emulator.sh derives does not exist:
# find tests/emulator from here upwards.
if [ ! -f "$EMULATOR_SCRIPT" ]; then
  dir=$(pwd)
  while [ "$dir" != / ] && [ ! -f "$dir/tests/emulator/apinizer_emulator.py" ]; do dir=$(dirname "$dir"); done
  EMULATOR_SCRIPT="$dir/tests/emulator/apinizer_emulator.py"
fi

export ANSIBLE_STDOUT_CALLBACK=default
export ANSIBLE_PIPELINING=true  # no temp file per task
output_dir=${OUTPUT_DIR:-$(mktemp -d)}
here=$(pwd)

# The emulator's token for this target: a secret like any other (hostile.yml splits it at 24).
HOSTILE_TOKEN='hostile-token-SeKrEt-0f6d2a9c7b'
# The example seed with secrets that carry the marker: the tasks never send these (smtp-alerts gets a
# new password), so only the modules' masking keeps them out of results and messages.
seed="$(mktemp -d)/hostile-seed.json"
mapfile -t seed_secrets < <(python - "$(dirname "$EMULATOR_SCRIPT")/seed.json" "$seed" <<'PY'
import json, sys
seed = json.load(open(sys.argv[1]))
secrets = dict(smtp='seeded-smtp-SeKrEt-3e7a', db='seeded-db-SeKrEt-b4c9',
               kafka='org.apache.kafka.common.security.scram.ScramLoginModule required password="seeded-kafka-SeKrEt-77d1";')
for connection in seed['projects']['Demo']['connections']:
    if connection['name'] == 'smtp-alerts':
        connection['password'] = secrets['smtp']
    elif connection['name'] == 'orders-db':
        connection['password'] = secrets['db']
    elif connection['name'] == 'audit-kafka':
        connection['propertiesMap']['sasl.jaas.config'] = dict(value=secrets['kafka'], valueType='STRING')
json.dump(seed, open(sys.argv[2], 'w'))
print('\n'.join(secrets.values()))
PY
)
mapfile -t task_secrets < <(python -c '
import sys, yaml
for value in yaml.safe_load(open(sys.argv[1])).values():
    print(value)' vars/secrets.yml)
secrets=("$HOSTILE_TOKEN" "${HOSTILE_TOKEN:24}" "${seed_secrets[@]}" "${task_secrets[@]}" 'kafka-SeKrEt-91ab')
[ "${#seed_secrets[@]}" -eq 3 ] && [ "${#task_secrets[@]}" -eq 2 ] || { echo "secrets not found" >&2; exit 1; }

HOSTILE_PID=""
start_hostile() {  # in front of the emulator start_emulator started; exports HOSTILE_URL, ELSEWHERE_URL, APINIZER_URL
  local out
  out=$(mktemp)
  python "$here/hostile.py" --upstream "$EMULATOR_URL" --quiet > "$out" 2> "$out.err" &
  HOSTILE_PID=$!
  for _ in $(seq 200); do
    [ "$(wc -l < "$out")" -ge 2 ] && break
    sleep 0.05
  done
  HOSTILE_URL=$(sed -n 1p "$out")
  ELSEWHERE_URL=$(sed -n 2p "$out")
  if [ -z "$ELSEWHERE_URL" ]; then
    echo "hostile server did not start:" >&2
    cat "$out.err" >&2
    return 1
  fi
  export HOSTILE_URL ELSEWHERE_URL APINIZER_URL="$HOSTILE_URL"
}

# shellcheck disable=SC2329  # invoked by the EXIT trap of run_group
stop_hostile() {
  if [ -n "$HOSTILE_PID" ]; then
    kill "$HOSTILE_PID" 2>/dev/null || true
    wait "$HOSTILE_PID" 2>/dev/null || true
    HOSTILE_PID=""
  fi
}

run_group() {  # run_group PASS GROUP PATH [ansible-playbook options...]: one group against its own servers
  local pass=$1 group=$2 path=$3 warnings=0
  shift 3
  # The emulator answering as Apinizer's current documentation does (newer style, documented GET
  # detail: maintenance mode is read from the export package).
  start_emulator --quiet --seed "$seed" --token "$HOSTILE_TOKEN" --api-style newer --proxy-detail documented
  trap 'stop_hostile; stop_emulator' EXIT
  export APINIZER_TOKEN="$HOSTILE_TOKEN"
  start_hostile
  if [ "$group" = misc ]; then
    # setup_emulator sets APINIZER_WARN_ON_HTTP=false for plain-http loopback; group misc runs with the
    # default (warn_on_http true): one warning per task. Its token comes with a trailing newline, as
    # an injected credential or a token file may give it (trimmed, it works).
    unset APINIZER_WARN_ON_HTTP
    warnings=1
    export APINIZER_TOKEN="$HOSTILE_TOKEN"$'\n'
  fi
  # direct: the module runs inside the worker (the action plugin, as on the controller in practice);
  # module: forced through the ordinary module path.
  if [ "$path" = module ]; then export APINIZER_DIRECT_EXECUTION=false; else export APINIZER_DIRECT_EXECUTION=true; fi
  ansible-playbook -i localhost, -c local -e 'ansible_python_interpreter={{ ansible_playbook_python }}' \
    -e "group=$group" -e "http_warnings=$warnings" -e "results_file=$output_dir/hostile-$pass-$group.results.jsonl" \
    hostile.yml "$@"
}

# HOSTILE_GROUPS="get misc" runs only those groups (for work on the target; the leak test then covers those).
read -r -a groups <<< "${HOSTILE_GROUPS:-get patch patch_deploy deploy_post put post misc}"
failed=0
paths=()
run_pass() {  # run_pass PASS [ansible-playbook options...]: every group at once
  local pass=$1 pids=() i log path started=$SECONDS
  shift
  for i in "${!groups[@]}"; do
    # Each group runs once on each path: the plain pass takes every other group directly, the -vvvv
    # pass the others (so the leak test sees both paths' -vvvv output).
    if [ $(( i % 2 )) -eq "$([ "$pass" = plain ] && echo 0 || echo 1)" ]; then path=direct; else path=module; fi
    paths[i]=$path
    ( run_group "$pass" "${groups[$i]}" "$path" "$@" ) > "$output_dir/hostile-$pass-${groups[$i]}.log" 2>&1 &
    pids+=($!)
  done
  for i in "${!groups[@]}"; do
    log="$output_dir/hostile-$pass-${groups[$i]}.log"
    if wait "${pids[$i]}"; then
      echo "== $pass, group ${groups[$i]} (${paths[$i]}): $(grep -E '^localhost +: ok=' "$log")"
    else
      failed=1
      sed -n '/^TASK \[What each case ended in\]/,$p' "$log" | grep -E 'CHECK FAILED|did not end as expected' \
        || tail -n 60 "$log"
      echo "FAILED: hostile_server $pass, group ${groups[$i]} (${paths[$i]}; full output: $log)" >&2
    fi
  done
  echo "== $pass: $((SECONDS - started)) s"
}

run_pass plain "$@"
run_pass vvvv -vvvv --diff "$@"
all_log="$output_dir/hostile-vvvv-diff.log"
for group in "${groups[@]}"; do cat "$output_dir/hostile-vvvv-$group.log"; done > "$all_log"

# The leak test: no secret, as it is or JSON-escaped (once or twice), in the -vvvv --diff output or
# in any registered module result of either pass; nor the marker every secret value carries.
mapfile -t shapes < <(python -c '
import json, sys
for secret in sys.argv[1:]:
    once = json.dumps(secret)[1:-1]
    for shape in sorted({secret, once, json.dumps(once)[1:-1]}):
        print(shape)' "${secrets[@]}")
files=("$all_log")
for group in "${groups[@]}"; do files+=("$output_dir/hostile-plain-$group.results.jsonl" "$output_dir/hostile-vvvv-$group.results.jsonl"); done
leaks=0
for file in "${files[@]}"; do
  [ -s "$file" ] || { echo "MISSING: $file (its group did not get to write it)" >&2; leaks=$((leaks + 1)); continue; }
  for shape in "${shapes[@]}" SeKrEt; do
    if grep -F -q -- "$shape" "$file"; then
      echo "LEAK: a secret value ($(printf '%s' "$shape" | cut -c1-6)...) appears in $file" >&2
      leaks=$((leaks + 1))
    fi
  done
done
if [ "$leaks" -eq 0 ]; then
  echo "== leak test passed: ${#secrets[@]} secret values (${#shapes[@]} shapes) and the marker absent from" \
       "$(wc -l < "$all_log") lines of -vvvv --diff output and $((${#files[@]} - 1)) files of registered results"
else
  failed=1
fi
exit "$failed"
