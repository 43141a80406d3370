#!/usr/bin/env bash
# apinizer_proxy_connection against the emulator: connection.yml once per API style (seed, newer)
# and GET proxy detail (full: GET reports the connection settings; documented: only the export
# package holds them), four emulators at once; then deny_export.yml against an emulator that
# refuses the export (--deny-export).
set -eux
# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh
emulator_matrix connection.yml "$@"
start_emulator --quiet --proxy-detail documented --deny-export
ansible-playbook -i localhost, -c local -e 'ansible_python_interpreter={{ ansible_playbook_python }}' deny_export.yml "$@"
stop_emulator
