#!/usr/bin/env bash
# apinizer_proxy_info against the emulator: one playbook run per GET proxy detail (full: GET
# reports every section; documented: only the export package holds most of them) and API style
# (seed, newer), or the one mode emulator.sh names, then one run where the export is refused (--deny-export). Each run feeds every
# section of every seeded proxy back into its settings module and expects no change, no write.
set -eux
source ../setup_emulator/emulator.sh
for detail in "${EMULATOR_DETAILS[@]}"; do
  for style in "${EMULATOR_STYLES[@]}"; do
    start_emulator --quiet --api-style "$style" --proxy-detail "$detail"
    ansible-playbook -i localhost, -e 'ansible_python_interpreter={{ ansible_playbook_python }}' -e "proxy_detail=$detail" \
      proxy_info.yml "$@"
    stop_emulator
  done
done
start_emulator --quiet --proxy-detail documented --deny-export
ansible-playbook -i localhost, -e 'ansible_python_interpreter={{ ansible_playbook_python }}' -e proxy_detail=documented \
  -e deny_export=true proxy_info.yml "$@"
stop_emulator
