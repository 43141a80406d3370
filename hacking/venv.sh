# shellcheck shell=bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the entry scripts and by users in their shell (`source hacking/venv.sh`). Defines
# find_python and setup_venv, then makes .venv (the development venv: the newest tested
# ansible-core on the newest Python it supports) hold exactly requirements-dev.txt and puts it
# first on PATH. A venv is re-created only when its pinned requirements (or its Python) changed.
#
# It leaves the caller's shell options as they were (no set -e, -u or -o pipefail left behind, so
# an interactive shell is not closed by its next failing command). The set-up of .venv runs in a
# bash process of its own (this file, executed) under set -euo pipefail: any failing command stops
# it with a message, and then sourcing returns 1 with PATH unchanged; it never exits the caller's
# shell. (Strict mode in a subshell would not do: bash ignores set -e there whenever the caller
# sources this file as a condition, as in `source hacking/venv.sh && python ...`.)
# Executed (`bash hacking/venv.sh`), it only sets up .venv.
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

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
# Returns 1 with a message on any failure, whatever the caller's shell options (test.sh runs it
# without set -e).
setup_venv() {
  local venv=$1 python=$2 requirements=$3 log=${4:-$repo_root/build/pip-install.log}
  local version wanted file files=()
  if ! version=$("$python" -c 'import sys; print(sys.version)'); then
    echo "could not set up $venv: $python does not run" >&2
    return 1
  fi
  while read -r file; do
    [ -r "$file" ] || { echo "could not set up $venv: no requirement file $file" >&2; return 1; }
    files+=("$file")
  done < <(_requirement_files "$requirements" 2>/dev/null)
  wanted=$( { printf '%s\n' "$version"; cat "${files[@]}"; } | sha256sum | cut -d' ' -f1)
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
  if ! echo "$wanted" > "$venv/.requirements.sha256"; then
    echo "could not set up $venv: cannot write its stamp" >&2
    return 1
  fi
  echo "-- ${venv#"$repo_root"/} set up in $((SECONDS - start)) s"
}

# Executed (the child process that sourcing starts, below): set up .venv in strict mode.
if ! (return 0 2>/dev/null); then
  set -euo pipefail
  dev_python_version=3.13  # ansible-core 2.21 supports 3.12 to 3.14; 3.13 is the newest here
  dev_python=${PYTHON:-$(find_python "$dev_python_version")}
  if [ -z "$dev_python" ]; then
    echo "Python $dev_python_version not found (looked in ~/.pyenv/versions and PATH); set PYTHON=/path/to/python$dev_python_version" >&2
    exit 1
  fi
  setup_venv "$repo_root/.venv" "$dev_python" "$repo_root/requirements-dev.txt"
  exit 0
fi

# Sourced: no option of the caller's shell is touched; it gets the functions above and, once
# .venv is set up, .venv first on PATH. PYTHON is passed on even when it is not exported.
if ! PYTHON=${PYTHON:-} "$BASH" "$repo_root/hacking/venv.sh"; then
  echo "hacking/venv.sh: .venv is not set up (see above); PATH is unchanged" >&2
  return 1
fi
case ":$PATH:" in
  ":$repo_root/.venv/bin:"*) ;;  # already first (sourced again)
  *) export PATH="$repo_root/.venv/bin:$PATH" ;;
esac
export VIRTUAL_ENV="$repo_root/.venv"
