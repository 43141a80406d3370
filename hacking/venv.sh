# shellcheck shell=bash
# Sourced by the entry scripts: make .venv (Python 3.11) hold exactly requirements-dev.txt,
# then put it first on PATH. Re-installs only when the requirements file changed.
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$repo_root/.venv"
python_bin=${PYTHON:-python3.11}
command -v "$python_bin" >/dev/null 2>&1 || python_bin=python3
stamp="$venv/.requirements.sha256"
wanted=$(sha256sum "$repo_root/requirements-dev.txt" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "== setting up $venv (pinned requirements-dev.txt)"
  "$python_bin" -m venv "$venv"
  mkdir -p "$repo_root/build"
  if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      -r "$repo_root/requirements-dev.txt" > "$repo_root/build/pip-install.log" 2>&1; then
    tail -n 30 "$repo_root/build/pip-install.log" >&2
    exit 1
  fi
  echo "$wanted" > "$stamp"
fi
export PATH="$venv/bin:$PATH"
export VIRTUAL_ENV="$venv"
