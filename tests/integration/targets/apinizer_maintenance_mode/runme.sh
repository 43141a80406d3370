#!/usr/bin/env bash
# apinizer_maintenance_mode against the emulator, one playbook run per API style (seed, newer).
set -eux
source ../setup_emulator/emulator.sh
for style in seed newer; do
  start_emulator --api-style "$style"
  ansible-playbook -i localhost, -e "ansible_python_interpreter=$(command -v python)" maintenance_mode.yml "$@"
  stop_emulator
done
