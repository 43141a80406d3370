#!/usr/bin/env bash
# The README's test command (`make test`): sets everything up on a fresh machine and runs
# every check. With arguments, runs only those steps, e.g. `hacking/test.sh units integration`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(sanity units emulator integration lint docs build changelog)

passed=0
count_pytest() {  # add the "N passed" of a pytest log to the total
  local n
  n=$(grep -Eo '[0-9]+ passed' "$1" | tail -n 1 | cut -d' ' -f1 || true)
  passed=$((passed + ${n:-0}))
}

tree=$(python "$repo_root/hacking/build_tree.py")
# The directory that holds ansible_collections/: lets ansible-lint and ansible-doc resolve
# apinizer.apiops (and its action group) from the fresh copy, not from anything installed.
collections_root=$(dirname "$(dirname "$(dirname "$tree")")")
logs="$repo_root/build/logs"
mkdir -p "$logs"
cd "$tree"

for step in "${steps[@]}"; do
  echo "== $step"
  case "$step" in
    sanity)
      # ansible-test bootstraps pip from a host these machines cannot reach; a cached copy wins.
      cache="$HOME/.ansible/test/cache"
      pip_version=$(python - <<'PY'
import re, ansible_test, os
text = open(os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')).read()
print(re.search(r"pip='([0-9.]+)'", text).group(1).replace('.', '_'))
PY
)
      mkdir -p "$cache"
      [ -s "$cache/get_pip_${pip_version}.py" ] || cp "$repo_root/hacking/get_pip_standin.py" "$cache/get_pip_${pip_version}.py"
      ansible-test sanity --python 3.11 --color no 2>&1 | tee "$logs/sanity.log"
      if grep -q 'All targets skipped' "$logs/sanity.log"; then
        echo "sanity found nothing to test" >&2; exit 1
      fi
      passed=$((passed + 1))
      ;;
    units)
      ansible-test units --python 3.11 --color no 2>&1 | tee "$logs/units.log"
      count_pytest "$logs/units.log"
      ;;
    emulator)
      python -m pytest -q -p no:cacheprovider tests/emulator 2>&1 | tee "$logs/emulator.log"
      count_pytest "$logs/emulator.log"
      ;;
    integration)
      ansible-test integration --python 3.11 --color no 2>&1 | tee "$logs/integration.log"
      targets=$(grep -Ec '^Running .* integration test (role|script)' "$logs/integration.log" || true)
      passed=$((passed + targets))
      ;;
    lint)
      if compgen -G "playbooks/*.yml" >/dev/null; then
        ANSIBLE_COLLECTIONS_PATH="$collections_root" ansible-lint --profile production --offline playbooks/
        passed=$((passed + 1))
      fi
      ;;
    docs)
      for module in plugins/modules/*.py; do
        name=$(basename "$module" .py)
        ANSIBLE_COLLECTIONS_PATH="$collections_root" ansible-doc "apinizer.apiops.$name" > /dev/null
        passed=$((passed + 1))
      done
      python hacking/generate_module_docs.py --check
      passed=$((passed + 1))
      ;;
    build)
      ansible-galaxy collection build --force --output-path "$repo_root/build" .
      passed=$((passed + 1))
      ;;
    changelog)
      antsibull-changelog lint
      passed=$((passed + 1))
      ;;
    *) echo "unknown step: $step" >&2; exit 2 ;;
  esac
done

echo "tests: $passed passed, 0 failed"
