#!/usr/bin/env bash
# Verified deploys and rollbacks against the emulator's gateway pods (two per environment), per API
# style emulator.sh names: newer (with the documented GET proxy detail, as Apinizer's current docs
# answer) and seed (whose route-health answer is the older envelope, with the full detail).
set -eux
source ../setup_emulator/emulator.sh
for style in "${EMULATOR_STYLES[@]}"; do
  detail=$([ "$style" = newer ] && echo documented || echo full)
  start_emulator --quiet --api-style "$style" --proxy-detail "$detail"
  ansible-playbook -i localhost, -e 'ansible_python_interpreter={{ ansible_playbook_python }}' verify.yml "$@"
  ansible-playbook -i localhost, -e 'ansible_python_interpreter={{ ansible_playbook_python }}' rollback.yml "$@"
  stop_emulator
done
