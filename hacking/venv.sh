# shellcheck shell=bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the entry scripts. Defines find_python and setup_venv, then makes .venv (the
# development venv: the newest tested ansible-core on the newest Python it supports) hold
# exactly requirements-dev.txt and puts it first on PATH. A venv is re-created only when its
# pinned requirements (or its Python) changed.
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dev_python_version=3.13  # ansible-core 2.21 supports 3.12 to 3.14; 3.13 is the newest here

# find_python 3.11: the path of a Python 3.11 interpreter (pyenv's, then PATH), or nothing.
find_python() {
  local version=$1 candidate
  for candidate in "$HOME"/.pyenv/versions/"$version".*/bin/python"$version"; do
    [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  command -v "python$version" 2>/dev/null || true
}

# The requirement file and every file it includes with -r, for the venv's stamp.
_requirement_files() {
  local file=$1 dir included
  dir=$(dirname "$file")
  echo "$file"
  while read -r included; do
    _requirement_files "$dir/$included"
  done < <(sed -n 's/^-r[[:space:]]*//p' "$file")
}

# setup_venv DIR PYTHON REQUIREMENTS [LOG]: create DIR with PYTHON and install REQUIREMENTS,
# unless DIR already holds exactly them (stamp: sha256 of the files and the Python version).
setup_venv() {
  local venv=$1 python=$2 requirements=$3 log=${4:-$repo_root/build/pip-install.log} wanted
  wanted=$( { "$python" -c 'import sys; print(sys.version)'; _requirement_files "$requirements" | xargs cat; } \
    | sha256sum | cut -d' ' -f1)
  if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" = "$wanted" ]; then
    return 0
  fi
  local start=$SECONDS
  echo "== setting up ${venv#"$repo_root"/} ($(basename "$python"), pinned ${requirements#"$repo_root"/})"
  rm -rf "$venv"
  mkdir -p "$(dirname "$log")"
  if ! { "$python" -m venv "$venv" && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      -r "$requirements"; } > "$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "could not set up $venv (log: $log)" >&2
    return 1
  fi
  echo "$wanted" > "$venv/.requirements.sha256"
  echo "-- ${venv#"$repo_root"/} set up in $((SECONDS - start)) s"
}

dev_python=${PYTHON:-$(find_python "$dev_python_version")}
if [ -z "$dev_python" ]; then
  echo "Python $dev_python_version not found (looked in ~/.pyenv/versions and PATH); set PYTHON=/path/to/python3.13" >&2
  exit 1
fi
venv="$repo_root/.venv"
setup_venv "$venv" "$dev_python" "$repo_root/requirements-dev.txt"
export PATH="$venv/bin:$PATH"
export VIRTUAL_ENV="$venv"
