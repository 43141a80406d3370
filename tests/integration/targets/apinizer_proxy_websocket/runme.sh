#!/usr/bin/env bash
# apinizer_proxy_websocket against the emulator: websocket.yml once per API style (seed, newer)
# and GET proxy detail (full: GET reports the websocket settings; documented: only the export
# package holds them), four emulators at once; then deny_export.yml against an emulator that
# refuses the export (--deny-export).
set -eux
# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh
emulator_matrix websocket.yml "$@"
start_emulator --quiet --proxy-detail documented --deny-export
ansible-playbook -i localhost, -c local -e 'ansible_python_interpreter={{ ansible_playbook_python }}' deny_export.yml "$@"
stop_emulator
