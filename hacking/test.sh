#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's test command (`make test`): sets everything up on a fresh machine and runs every
# check, then prints a table of the version matrix and the closing line `tests: N passed, M failed`
# (non-zero exit when anything failed).
#
#   hacking/test.sh                       every step
#   hacking/test.sh units integration     only those steps
#   LEGS="2.16 2.21" hacking/test.sh      only those legs of the matrix
#   TARGETS="a b" hacking/test.sh integration   only those integration targets
#
# Steps that run once, in .venv (ansible-core 2.21): emulator, lint, docs, extra, build, changelog, ee.
# Steps that run per leg of the matrix: sanity, units, integration. A leg is one file
# requirements/legs/ansible-core-<minor>.txt: it pins the core, names the Python it runs under
# (`# python:`), the steps it runs (`# steps:`) and, optionally, the emulator modes its integration
# targets run against (`# emulator modes: current`: only the one that answers as Apinizer's current
# docs do; every mode otherwise). Each leg has its own venv under .venv-legs/,
# created here and re-created when its pins change, and its own copy of the collection (so
# ansible-test's tests/output of one leg never mixes with another's).
set -uo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$repo_root/hacking/venv.sh" || exit 1  # returns 1 when .venv cannot be set up; leaves the options above as they are
set +e

all_steps=(emulator lint docs extra build changelog ee sanity units integration)
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=("${all_steps[@]}")
wants() { local step; for step in "${steps[@]}"; do [ "$step" = "$1" ] && return 0; done; return 1; }
for step in "${steps[@]}"; do
  case " ${all_steps[*]} " in *" $step "*) ;; *) echo "unknown step: $step (steps: ${all_steps[*]})" >&2; exit 2 ;; esac
done

logs="$repo_root/build/logs"

mkdir -p "$logs"
passed=0
failed=0
skipped=0
failures=()
skips=()

count_pytest() {  # the sum of the "N passed" of a log's pytest sessions (ansible-test runs several)
  grep -Eo '^=+ .*[0-9]+ passed' "$1" | grep -Eo '[0-9]+ passed' | awk '{n += $1} END {print n + 0}'
}

# once NAME COMMAND...: run a step of the once-only part, its output also in build/logs/NAME.log.
# A passing step adds $extra to the passed count: 1 unless the step sets how many checks it ran.
extra=0
once() {
  local name=$1 start rc
  shift
  echo
  echo "== $name"
  start=$SECONDS
  extra=1
  "$@" > >(tee "$logs/$name.log") 2>&1
  rc=$?
  wait $! 2>/dev/null
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + extra))
    echo "-- $name passed ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "-- $name FAILED (exit $rc, $((SECONDS - start)) s; log: build/logs/$name.log)"
  fi
  once_times+=("$name $((SECONDS - start)) $([ "$rc" -eq 0 ] && echo passed || echo FAILED)")
}
once_times=()

tree=$(python "$repo_root/hacking/build_tree.py")
# The directory that holds ansible_collections/: lets ansible-lint and ansible-doc resolve
# apinizer.apiops (and its action group) from the fresh copy, not from anything installed.
collections_root=$(dirname "$(dirname "$(dirname "$tree")")")
cd "$tree" || exit 1

# ---------------------------------------------------------------------------------------------
# Steps that run once (.venv)

step_emulator() {
  python -m pytest -q -p no:cacheprovider tests/emulator 2>&1 | tee "$logs/emulator.pytest.log"
  local rc=${PIPESTATUS[0]}
  extra=$(count_pytest "$logs/emulator.pytest.log")
  return "$rc"
}

step_lint() {
  if ! compgen -G "playbooks/*.yml" >/dev/null; then echo "no playbooks to lint"; return 0; fi
  ANSIBLE_COLLECTIONS_PATH="$collections_root" ansible-lint --profile production --offline playbooks/
}

step_docs() {
  local module name n=0
  for module in plugins/modules/*.py; do
    name=$(basename "$module" .py)
    ANSIBLE_COLLECTIONS_PATH="$collections_root" ansible-doc "apinizer.apiops.$name" > /dev/null || return 1
    echo "ansible-doc apinizer.apiops.$name: ok"
    n=$((n + 1))
  done
  # Schema, markup and references of every plugin's docs, RST generation checked with rstcheck.
  ANSIBLE_COLLECTIONS_PATH="$collections_root" antsibull-docs lint-collection-docs --plugin-docs \
    --check-extra-docs-refs --validate-collection-refs all --disallow-unknown-collection-refs --no-skip-rstcheck . \
    || return 1
  echo "antsibull-docs lint-collection-docs --plugin-docs: ok"
  ANSIBLE_COLLECTIONS_PATH="$collections_root" python hacking/generate_module_docs.py --check || return 1
  # The runbooks in playbooks/ pass on every option of the modules they drive.
  ANSIBLE_COLLECTIONS_PATH="$collections_root" python hacking/check_runbooks.py || return 1
  # Every message docs/troubleshooting.md quotes is one the code still produces; the self-test shows
  # that a word changed in the code or in a quote makes that check fail.
  python hacking/check_troubleshooting.py || return 1
  python hacking/check_troubleshooting.py --self-test || return 1
  # The bad-input tables of docs/reliability.md are the unit tests' cases.
  python hacking/bad_input_tables.py --check || return 1
  extra=$((n + 6))
}

# antsibull-nox's extra checks and its yamllint, as one script each (CONTRIBUTING.md, "Checks"):
# every YAML in the community collections' style (plugin docs, files, Markdown blocks), the action
# group against the modules' docs, only Python in plugins/, no trailing whitespace, tab or invisible
# character. Each self-test shows that its check fails on known-bad input. All run, then it fails.
step_extra() {
  local check rc=0
  for check in check_yaml check_action_group check_plugin_files check_characters; do
    python "hacking/$check.py" || rc=1
    python "hacking/$check.py" --self-test || rc=1
  done
  extra=8
  return "$rc"
}

step_build() {
  ansible-galaxy collection build --force --output-path "$repo_root/build" .
}

step_changelog() {
  antsibull-changelog lint || return 1
  # What the release would announce: a dry release on a scratch copy (the checkout is left
  # alone). It lists the new modules from their version_added and the fragments' entries.
  local scratch version
  version=$(sed -n 's/^version: *//p' galaxy.yml)
  scratch=$(mktemp -d)
  tar --exclude=./tests/output -cf - . | tar -xf - -C "$scratch"
  (cd "$scratch" && antsibull-changelog release --version "$version" --date "$(date +%Y-%m-%d)") || return 1
  # Fragments are RST: Ansible's C()/O()/E()/M() markup would be printed as it is.
  if grep -nE '(^|[^[:alnum:]])[COEMV]\(' "$scratch/CHANGELOG.md"; then
    echo "Ansible markup in a changelog fragment is printed literally (above): use RST \`\`literal\`\`" >&2
    return 1
  fi
  echo "---- CHANGELOG.md of release $version (dry run on a scratch copy, not written to the checkout)"
  cat "$scratch/CHANGELOG.md"
  echo "----"
  rm -rf "$scratch"
  extra=2
}

step_ee() {
  # meta/execution-environment.yml is collection-level: its paths are relative to the collection
  # root, as ansible-builder's introspection reads them in an image build. So `create` runs on a
  # copy that sits at the root of a copy of meta/. Building an image needs a container runtime
  # and a registry: only the build context is generated and checked.
  local context="$repo_root/build/ee-context" scratch file introspected
  scratch=$(mktemp -d)
  cp -r meta "$scratch/meta"
  cp meta/execution-environment.yml "$scratch/execution-environment.yml"
  rm -rf "$context"
  ansible-builder create --file "$scratch/execution-environment.yml" --context "$context" -v 2 || return 1
  rm -rf "$scratch"
  file=$(find "$context" -maxdepth 1 \( -name Containerfile -o -name Dockerfile \) | head -n 1)
  [ -s "$file" ] || { echo "ansible-builder wrote no Containerfile" >&2; return 1; }
  diff <(grep -v '^#' meta/ee-requirements.txt) "$context/_build/requirements.txt" \
    || { echo "the build context does not install meta/ee-requirements.txt" >&2; return 1; }
  echo "build context: build/ee-context/$(basename "$file") and $(find "$context" -type f | wc -l) files in all"
  # What an image build reads from the installed collection.
  introspected=$(ansible-builder introspect --sanitize "$collections_root") || return 1
  echo "$introspected"
  grep -q 'requests.*# from collection apinizer.apiops' <<< "$introspected" \
    || { echo "ansible-builder introspect did not find the collection's requirements" >&2; return 1; }
  extra=2
}

for step in emulator lint docs extra build changelog ee; do
  wants "$step" && once "$step" "step_$step"
done

# ---------------------------------------------------------------------------------------------
# The version matrix: one leg per requirements/legs/ansible-core-<minor>.txt

legs_wanted=${LEGS:-}
leg_files=()
while read -r file; do
  core=$(basename "$file" .txt)
  core=${core#ansible-core-}
  if [ -n "$legs_wanted" ] && [[ " $legs_wanted " != *" $core "* ]]; then continue; fi
  leg_files+=("$file")
done < <(printf '%s\n' "$repo_root"/requirements/legs/ansible-core-*.txt | sort -V)

declare -A result seconds
leg_names=()
leg_python=()
leg_steps=()
leg_venvs=()
leg_modes=()
setup_pids=()

# Set up the legs' venvs in parallel (mostly waiting on the package index), then prime the
# sanity tests' own venvs (~/.ansible/test/venv) in parallel: the same waiting, done once.
matrix_steps=()
for step in sanity units integration; do wants "$step" && matrix_steps+=("$step"); done
if [ ${#matrix_steps[@]} -gt 0 ]; then
  echo
  echo "== matrix: setting up the legs"
  matrix_start=$SECONDS
  for file in "${leg_files[@]}"; do
    core=$(basename "$file" .txt)
    core=${core#ansible-core-}
    py=$(sed -n 's/^# python: *//p' "$file")
    leg_steps_line=$(sed -n 's/^# steps: *//p' "$file")
    leg_names+=("$core")
    leg_python+=("$py")
    leg_steps+=("$leg_steps_line")
    leg_modes+=("$(sed -n 's/^# emulator modes: *//p' "$file")")
    interpreter=$(find_python "$py")
    if [ -z "$interpreter" ]; then
      echo "SKIP ansible-core $core: Python $py is not on this machine (looked for python$py in ~/.pyenv/versions and on PATH)"
      leg_venvs+=("")
      continue
    fi
    venv_dir="$repo_root/.venv-legs/ansible-core-$core-py$py"
    leg_venvs+=("$venv_dir")
    setup_venv "$venv_dir" "$interpreter" "$file" "$logs/venv-$core.log" &
    setup_pids+=($!)
  done
  for pid in "${setup_pids[@]}"; do wait "$pid"; done  # a failed set-up shows in the leg's steps
  echo "legs set up in $((SECONDS - matrix_start)) s"
fi

# leg_tree CORE: this leg's own copy of the collection (ansible-test's layout).
leg_tree() {
  APIOPS_BUILD_ROOT="$collections_root-legs/$1" "$repo_root/.venv/bin/python" "$repo_root/hacking/build_tree.py"
}

# The pip bootstrap ansible-test downloads from a host these machines cannot reach: a cached
# copy wins, so put hacking/get_pip_standin.py there for the pip version this core asks for.
standin_get_pip() {
  local cache="$HOME/.ansible/test/cache" pip_version
  pip_version=$(python - <<'PY'
import re, ansible_test, os
text = open(os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')).read()
print(re.search(r"pip='([0-9.]+)'", text).group(1).replace('.', '_'))
PY
)
  mkdir -p "$cache"
  # copied then renamed: legs primed side by side never read a half-written file
  if [ ! -s "$cache/get_pip_${pip_version}.py" ]; then
    cp "$repo_root/hacking/get_pip_standin.py" "$cache/get_pip_${pip_version}.py.$BASHPID" &&
      mv -f "$cache/get_pip_${pip_version}.py.$BASHPID" "$cache/get_pip_${pip_version}.py"
  fi
}

in_leg() {  # in_leg INDEX TREE COMMAND...: run COMMAND in leg INDEX's venv and its copy TREE
  local i=$1 tree=$2
  shift 2
  (
    export PATH="${leg_venvs[$i]}/bin:$PATH" VIRTUAL_ENV="${leg_venvs[$i]}"
    cd "$(leg_tree "$tree")" && "$@"
  )
}

run_sanity() {
  local py=$1 log=$2 rc
  standin_get_pip
  ansible-test sanity --python "$py" --color no 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || return "$rc"
  if grep -q 'All targets skipped' "$log"; then echo "sanity found nothing to test" >&2; return 1; fi
  if grep -Eiq 'skipping sanity test|shellcheck.*not (found|installed)' "$log"; then
    echo "a sanity test was skipped (see above): every sanity test must run" >&2
    return 1
  fi
}

run_units() {
  local py=$1 log=$2 rc
  ansible-test units --python "$py" --color no 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || return "$rc"
  grep -Eq '[0-9]+ passed' "$log" || { echo "no unit test ran" >&2; return 1; }
}

run_integration() {
  local py=$1 log=$2 modes=$3 lane=$4 rc selection=()
  # The emulator modes the targets run against (tests/integration/targets/setup_emulator/emulator.sh)
  if [ -n "$modes" ]; then
    echo "$modes" > tests/integration/targets/setup_emulator/emulator_modes
    echo "emulator modes: $modes (# emulator modes: in this leg's file)"
  fi
  # The targets: those named (make integration TARGET=...), else this lane's (see integration_lanes).
  case $lane in
    '') read -r -a selection <<< "${TARGETS:-}" ;;
    1) selection=("$LANE_ALIAS/") ;;
    *) selection=(--exclude "$LANE_ALIAS/") ;;
  esac
  ansible-test integration "${selection[@]}" --python "$py" --color no --continue-on-error 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || return "$rc"
  grep -Eq '^Running .* integration test (role|script)' "$log" || { echo "no integration target ran" >&2; return 1; }
}

# leg_step INDEX STEP [LANE]: run one step of one leg (of integration, one lane of its targets); its
# outcome goes to build/logs/result-<core>-<step>[-<lane>] ("passed N SECONDS", "FAILED EXIT
# SECONDS", "SKIP" or "-"), read by the summary. Each step has its own copy of the collection
# (build/logs names it), since the steps of one leg run at the same time.
leg_step() {
  local i=$1 step=$2 lane=${3:-} core=${leg_names[$1]} py=${leg_python[$1]} log start rc n
  local part=$step${lane:+-$lane}
  local outcome="$logs/result-$core-$part"
  if [[ " ${leg_steps[$i]} " != *" $step "* ]]; then echo "-" > "$outcome"; return 0; fi
  if [ -z "${leg_venvs[$i]}" ]; then
    echo "SKIP" > "$outcome"
    echo "SKIP $step on ansible-core $core: Python $py is not on this machine"
    return 0
  fi
  log="$logs/$step-$core${lane:+-$lane}.log"
  echo
  echo "== $step${lane:+ (lane $lane)}: ansible-core $core, Python $py"
  start=$SECONDS
  if [ ! -x "${leg_venvs[$i]}/bin/ansible-test" ]; then
    echo "the venv of ansible-core $core was not set up (log: build/logs/venv-$core.log)" | tee "$log"
    rc=1
  else
    in_leg "$i" "$core-$part" "run_$step" "$py" "$log" "${leg_modes[$i]}" "$lane"
    rc=$?
  fi
  if [ "$rc" -eq 0 ]; then
    case $step in
      sanity) n=$(grep -c "^Running sanity test" "$log") ;;
      units) n=$(count_pytest "$log") ;;
      integration) n=$(grep -Ec '^Running .* integration test (role|script)' "$log") ;;
    esac
    echo "passed $n $((SECONDS - start))" > "$outcome"
    echo "-- $step${lane:+ (lane $lane)} on ansible-core $core passed ($n, $((SECONDS - start)) s)"
  else
    echo "FAILED $rc $((SECONDS - start))" > "$outcome"
    echo "-- $step${lane:+ (lane $lane)} on ansible-core $core FAILED (exit $rc, $((SECONDS - start)) s; log:" \
      "build/logs/${log#"$logs"/})"
  fi
}

rm -f "$logs"/result-* "$logs"/chain-*.log

# ansible-test integration creates ~/.ansible/test/id_rsa on first use. Two lanes starting at once
# on a machine without it (a clean CI host) both run ssh-keygen, and the second one fails on its
# "Overwrite (y/n)?" prompt. So create the pair once, before the lanes, the way ansible-test does
# (core_ci.SshKey.generate_key_pair: PEM, and the header paramiko expects).
ansible_test_ssh_key() {
  local key="$HOME/.ansible/test/id_rsa"
  [ -f "$key" ] && [ -f "$key.pub" ] && return 0
  mkdir -p "$(dirname "$key")"
  rm -f "$key" "$key.pub"
  ssh-keygen -m PEM -q -t rsa -N '' -f "$key" &&
    sed -i -E 's/(BEGIN|END) PRIVATE KEY/\1 RSA PRIVATE KEY/' "$key"
}
if wants integration; then ansible_test_ssh_key; fi

# Everything of the matrix runs at once, in chains that wait on different things, so that one's
# waits are another's CPU: the integration targets of a leg in two lanes (the emulator's delays,
# one ansible-playbook at a time), the units of every leg one after another, and per Python the
# sanity venvs of its legs primed (mostly waiting on the package index) and their sanity tests.
# Legs of one Python share ansible-test's base sanity venv (~/.ansible/test/venv/sanity/<python>/):
# primed at once on a machine without it, one leg removed the directory while the other filled it;
# so the legs of one Python are primed one after another. TEST_LANES=1 runs everything one step
# after the other, integration in one lane per leg.
# An integration target whose aliases name $LANE_ALIAS runs in the first lane, every other in the
# second: the long targets are split between them.
LANE_ALIAS=integration_lane/1
chain_pids=()
chains=()
chain() {  # chain NAME COMMAND...: run COMMAND in the background, its output in build/logs/chain-NAME.log
  local name=$1
  shift
  if [ "${TEST_LANES:-}" = 1 ]; then "$@"; return; fi
  "$@" > "$logs/chain-$name.log" 2>&1 &
  chain_pids+=($!)
  chains+=("$name")
}

integration_lanes() {  # the lanes of leg INDEX's integration: 1 2, or one lane for named targets
  if [ -n "${TARGETS:-}" ] || [ "${TEST_LANES:-}" = 1 ]; then echo ""; else echo "1 2"; fi
}
if wants integration; then
  for i in "${!leg_names[@]}"; do
    if [[ " ${leg_steps[$i]} " != *" integration "* ]] || [ -z "${leg_venvs[$i]}" ]; then
      leg_step "$i" integration
      continue
    fi
    for lane in $(integration_lanes); do
      chain "integration-${leg_names[$i]}-$lane" leg_step "$i" integration "$lane"
    done
    [ -n "$(integration_lanes)" ] || chain "integration-${leg_names[$i]}" leg_step "$i" integration
  done
fi

units_chain() { local i; for i in "${!leg_names[@]}"; do leg_step "$i" units; done; }
if wants units; then chain units units_chain; fi

prime_sanity() { standin_get_pip && ansible-test sanity --prime-venvs --python "$1" --color no; }
sanity_chain() {  # sanity_chain PYTHON: prime and run sanity for the legs of one Python, one after another
  local py=$1 i
  for i in "${!leg_names[@]}"; do
    [ "${leg_python[$i]}" = "$py" ] || continue
    if [ -n "${leg_venvs[$i]}" ] && [[ " ${leg_steps[$i]} " == *" sanity "* ]] && [ -x "${leg_venvs[$i]}/bin/ansible-test" ]; then
      in_leg "$i" "${leg_names[$i]}-sanity" prime_sanity "$py" > "$logs/prime-${leg_names[$i]}.log" 2>&1
      echo "sanity venvs of ansible-core ${leg_names[$i]} primed in ~/.ansible/test/venv" \
        "($((SECONDS - matrix_start)) s since the matrix started)"
    fi
    leg_step "$i" sanity
  done
}
if wants sanity; then
  for py in $(printf '%s\n' "${leg_python[@]}" | sort -uV); do chain "sanity-$py" sanity_chain "$py"; done
fi

if [ ${#chain_pids[@]} -gt 0 ]; then
  echo "== the matrix runs in ${#chain_pids[@]} chains at once: ${chains[*]} (output: build/logs/chain-<name>.log)"
  for pid in "${chain_pids[@]}"; do wait "$pid"; done
  echo
  echo "== the matrix"
  cat "$logs"/chain-*.log | grep -E '^(-- |SKIP )'
fi

# One outcome per leg's integration: its lanes' counts added up, the longer lane's time.
for i in "${!leg_names[@]}"; do
  lanes=$(integration_lanes)
  if [ -z "$lanes" ] || ! wants integration; then continue; fi
  core=${leg_names[$i]}
  [ -f "$logs/result-$core-integration-1" ] || continue
  merged="passed 0 0"
  for lane in $lanes; do
    read -r outcome n secs < "$logs/result-$core-integration-$lane" 2>/dev/null || { outcome=FAILED; n=1; secs=0; }
    read -r so_far total longest <<< "$merged"
    [ "$secs" -gt "$longest" ] && longest=$secs
    if [ "$outcome" = passed ] && [ "$so_far" = passed ]; then
      merged="passed $((total + n)) $longest"
    else
      [ "$outcome" = FAILED ] && rc=$n || rc=1
      merged="FAILED $rc $longest"
    fi
  done
  echo "$merged" > "$logs/result-$core-integration"
done
for file in "$logs"/result-*-integration*; do
  [ -e "$file" ] || continue  # no integration step ran
  [[ "$(cat "$file")" == FAILED* ]] || continue
  part=${file#"$logs"/result-}
  [[ $part == *-integration && -n "$(integration_lanes)" ]] && continue  # the lanes' outcome, merged
  log="$logs/integration-${part%%-integration*}${part#*-integration}.log"
  echo "---- ansible-core ${part%%-integration*}: the failed targets (build/logs/${log#"$logs"/} has all)"
  "$repo_root/.venv/bin/python" "$repo_root/hacking/failed_targets.py" "$log"
done

# Tally the legs' outcomes.
for i in "${!leg_names[@]}"; do
  core=${leg_names[$i]}
  for step in "${matrix_steps[@]}"; do
    read -r outcome n secs < "$logs/result-$core-$step" 2>/dev/null || outcome="-"
    case $outcome in
      passed) result[$core.$step]=passed; seconds[$core.$step]=$secs; passed=$((passed + n)) ;;
      FAILED) result[$core.$step]=FAILED; seconds[$core.$step]=$secs; failed=$((failed + 1))
              failures+=("$step on ansible-core $core") ;;
      SKIP) result[$core.$step]=SKIP; skipped=$((skipped + 1))
            skips+=("$step on ansible-core $core (no Python ${leg_python[$i]})") ;;
      *) result[$core.$step]="-" ;;
    esac
  done
done

# ---------------------------------------------------------------------------------------------
# Summary

echo
echo "== summary"
if [ ${#once_times[@]} -gt 0 ]; then
  printf '%-10s %8s  %s\n' "step" "seconds" "result"
  for line in "${once_times[@]}"; do
    read -r name secs res <<< "$line"
    printf '%-10s %8s  %s\n' "$name" "$secs" "$res"
  done
  echo "(once, in .venv: ansible-core $(python -c 'import ansible.release as r; print(r.__version__)'), Python $(python -c 'import sys; print("%d.%d" % sys.version_info[:2])'))"
  echo
fi
if [ ${#leg_names[@]} -gt 0 ]; then
  cell() { local r=${result[$1]:-"-"} s=${seconds[$1]:-}; [ -n "$s" ] && echo "$r $s s" || echo "$r"; }
  row() { printf '%-13s %-8s| %-14s| %-14s| %s\n' "$@"; }
  row "ansible-core" "Python" "sanity" "units" "integration"
  echo "----------------------+---------------+---------------+--------------"
  for i in "${!leg_names[@]}"; do
    core=${leg_names[$i]}
    version=$(sed -n 's/^ansible-core==//p' "$repo_root/requirements/legs/ansible-core-$core.txt")
    row "$version" "${leg_python[$i]}" "$(cell "$core.sanity")" "$(cell "$core.units")" "$(cell "$core.integration")"
  done
  echo
fi
for item in "${failures[@]}"; do echo "failed: $item"; done
for item in "${skips[@]}"; do echo "skipped: $item"; done
echo "total time: ${SECONDS} s ($((SECONDS / 60)) min $((SECONDS % 60)) s)"
if [ "$skipped" -gt 0 ]; then
  echo "tests: $passed passed, $failed failed, $skipped skipped"
else
  echo "tests: $passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
