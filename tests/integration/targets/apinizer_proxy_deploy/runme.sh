#!/usr/bin/env bash
# apinizer_proxy_deploy against the emulator: one playbook run per GET proxy detail (full,
# documented) and API style (seed, newer), or the one mode emulator.sh names.
set -eux
source ../setup_emulator/emulator.sh
for detail in "${EMULATOR_DETAILS[@]}"; do
  for style in "${EMULATOR_STYLES[@]}"; do
    start_emulator --quiet --api-style "$style" --proxy-detail "$detail"
    ansible-playbook -i localhost, -e 'ansible_python_interpreter={{ ansible_playbook_python }}' proxy_deploy.yml "$@"
    stop_emulator
  done
done
