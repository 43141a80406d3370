#!/usr/bin/env bash
# Proof of equivalence (issue 20): every module's cases (equivalence.yml) run once forced through
# the module path (APINIZER_DIRECT_EXECUTION=false) and once through direct execution, each on a
# fresh emulator started from the seed on the same port; then compare.py checks that
#   1. the registered results are equal (canonical JSON, sorted keys; only verification[].seconds,
#      a duration measured by the clock, is normalised),
#   2. the -vvvv --diff logs show the same output task by task, once the lines only the module
#      path prints are removed (compare.py: MODULE_PATH_ONLY), the same seconds normalised and, on
#      ansible-core 2.19+, the failure header "Task failed: Action failed:" of the direct run read
#      as the module path's "Task failed: Module failed:" (compare.py counts and reports each one),
#   4. each module task printed the path it took: "runs as a module (direct execution is turned
#      off ...)" in the forced run, "runs in the worker process (direct execution)" in the other,
# and here (3) that no secret value (the token, the passwords, the Kafka secrets) appears in
# either log or results file. Then fallbacks.yml: another ansible_python_interpreter and async
# run as a module (with the reason at -vvv) and succeed.
set -eu
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh

export ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_NOCOLOR=1
export ANSIBLE_PIPELINING=true  # no temp file per task on the module path
# The same hash seed in the controller, its workers and every module process: Ansible's
# "Valid booleans include: ..." lists a set, whose order otherwise changes with each process.
export PYTHONHASHSEED=0
output_dir=${OUTPUT_DIR:-$(mktemp -d)}
inventory=$output_dir/direct_execution.inventory
cat > "$inventory" <<'INI'
localhost ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"
other-local ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"
INI

# One run of equivalence.yml: run PATH_SWITCH (false: the module path, true: direct execution).
# The results file has one name for both runs (the -e line of the -vvvv header is then the same),
# renamed after each run. Fault ids count on over an emulator's resets, so each run gets a fresh
# emulator; the same port keeps the URL in messages and invocation the same.
port=0
run() {
  local switch=$1 started elapsed
  start_emulator --quiet --port "$port"
  port=${APINIZER_URL##*:}
  started=$(date +%s)
  if ! APINIZER_DIRECT_EXECUTION=$switch ansible-playbook -i "$inventory" equivalence.yml -vvvv --diff \
      -e "results_file=$output_dir/results.json" > "$output_dir/direct-execution-$switch.log" 2>&1; then
    tail -n 60 "$output_dir/direct-execution-$switch.log"
    echo "FAILED: equivalence.yml with APINIZER_DIRECT_EXECUTION=$switch (log: $output_dir/direct-execution-$switch.log)" >&2
    exit 1
  fi
  elapsed=$(( $(date +%s) - started ))
  mv "$output_dir/results.json" "$output_dir/results-$switch.json"
  echo "== APINIZER_DIRECT_EXECUTION=$switch: ${elapsed}s, $(grep -E '^localhost +: ok=' "$output_dir/direct-execution-$switch.log")"
}
run false
stop_emulator
run true  # this emulator stays up for fallbacks.yml

module_log=$output_dir/direct-execution-false.log
direct_log=$output_dir/direct-execution-true.log
failed=0
python compare.py results "$output_dir/results-false.json" "$output_dir/results-true.json" || failed=1
python compare.py logs "$module_log" "$direct_log" || failed=1

# 3. No secret value in either log or results file.
mapfile -t secrets < <(grep -oE 'DeSeKrEt[A-Za-z0-9-]*' equivalence.yml | sort -u)
secrets+=("$APINIZER_TOKEN")
[ "${#secrets[@]}" -ge 5 ] || { echo "too few secret values found in equivalence.yml" >&2; exit 1; }
leaks=0
for file in "$module_log" "$direct_log" "$output_dir/results-false.json" "$output_dir/results-true.json"; do
  for secret in "${secrets[@]}"; do
    if grep -F -q -- "$secret" "$file"; then
      echo "LEAK: a secret value ($(printf '%s' "$secret" | cut -c1-12)...) appears in $file" >&2
      leaks=$((leaks + 1))
    fi
  done
done
[ "$leaks" -eq 0 ] || failed=1
echo "leak test: ${#secrets[@]} secret values looked for in both logs and both results files: $leaks leaks"

# Fallbacks. Another Python: an interpreter (by its real path) other than the one running
# ansible-playbook, that can import requests: the system's, pyenv's, or a sibling virtualenv of the
# controller's (the other legs of hacking/test.sh).
controller=$(sed -n 's/^  python version = .*(\(.*\))$/\1/p' "$direct_log" | head -n 1)
controller_real=$(readlink -f "$controller")
prefix=$("$controller" -c 'import sys; print(sys.prefix)')
other_python=""
for candidate in /usr/bin/python3 /usr/local/bin/python3 "$HOME"/.pyenv/versions/*/bin/python3 \
    "$(dirname "$prefix")"/*/bin/python; do
  [ -x "$candidate" ] || continue
  [ "$(readlink -f "$candidate")" != "$controller_real" ] || continue
  if "$candidate" -c 'import sys, requests; sys.exit(sys.version_info < (3, 9))' 2> /dev/null; then
    other_python=$candidate
    break
  fi
done
if [ -z "$other_python" ]; then
  echo "SKIPPED: the ansible_python_interpreter fallback: no Python other than $controller_real can import requests"
fi
fallback_log=$output_dir/direct-execution-fallbacks.log
if ! ansible-playbook -i "$inventory" fallbacks.yml -vvv -e "other_python=$other_python" > "$fallback_log" 2>&1; then
  tail -n 60 "$fallback_log"
  echo "FAILED: fallbacks.yml (log: $fallback_log)" >&2
  failed=1
fi
python compare.py paths "$fallback_log"
expect() {  # expect TASK-NAME-PREFIX LINE-PATTERN
  python compare.py paths "$fallback_log" | grep -E -q "^\[$1[^]]*\] $2" || {
    echo "FAILED: task [$1...] did not print: $2 (log: $fallback_log)" >&2
    failed=1
  }
}
expect 'apinizer_proxy_info: direct' 'apinizer\.apiops: apinizer_proxy_info runs in the worker process \(direct execution\)$'
expect 'apinizer_maintenance_mode: async' 'apinizer\.apiops: apinizer_maintenance_mode runs as a module \(async\)$'
if [ -n "$other_python" ]; then
  expect 'apinizer_proxy_info: another' "apinizer\\.apiops: apinizer_proxy_info runs as a module \\(ansible_python_interpreter is $other_python, not the controller Python "
fi
echo "fallbacks checked: async, and ansible_python_interpreter=${other_python:-(skipped)}"
if [ "$failed" -ne 0 ]; then
  echo "FAILED: see above (logs and results under $output_dir)" >&2
  exit 1
fi
