#!/usr/bin/env bash
# apinizer_proxy_metadata against the emulator: metadata.yml once per API style (seed, newer)
# and GET proxy detail (full: GET reports every metadata field; documented: the export holds the
# fields GET lacks), four emulators at once; then deny_export.yml against an emulator that
# refuses the export (--deny-export).
set -eux
# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh
emulator_matrix metadata.yml "$@"
start_emulator --quiet --proxy-detail documented --deny-export
ansible-playbook -i localhost, -c local -e 'ansible_python_interpreter={{ ansible_playbook_python }}' deny_export.yml "$@"
stop_emulator
