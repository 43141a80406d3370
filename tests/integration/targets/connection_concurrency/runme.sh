#!/usr/bin/env bash
# Two runs of apinizer_connection changing different fields of one connection (A: email port,
# B: description), driven through named interleavings by the emulator's holds (docs/emulator.md,
# "Holding requests"): no sleeps, no timing. interleave.py holds the scenarios, their expected
# outcomes and the invariant "no run reports success for a state that is not on the server when it
# verified it" (docs/reliability.md, "Concurrent runs"). One emulator per API style (only the
# newer style where emulator.sh says so), both at once; the scenarios one after the other on it,
# each from a reset (running every scenario at once is slower on two cores: 16 ansible processes).
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

output_dir=${OUTPUT_DIR:-$(mktemp -d)}
scenarios=(sequential stale_plan_caught race_past_check verified_then_overwritten)
started=$SECONDS

pids=() names=()
for style in "${EMULATOR_STYLES[@]}"; do
  (
    start_emulator --quiet --api-style "$style"
    python interleave.py --api-style "$style" --out "$output_dir" "${scenarios[@]}"
  ) > "$output_dir/concurrency-$style.log" 2>&1 &
  pids+=($!)
  names+=("$style")
done
failed=0
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || failed=1
  cat "$output_dir/concurrency-${names[$i]}.log"
done
echo "connection_concurrency: ${#scenarios[@]} interleavings x ${#EMULATOR_STYLES[@]} API style(s) in $((SECONDS - started)) s"
exit "$failed"
