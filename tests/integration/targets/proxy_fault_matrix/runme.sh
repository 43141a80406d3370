#!/usr/bin/env bash
# The fault matrix of docs/reliability.md through real ansible-playbook runs against the emulator.
# Columns (request kinds): settings write, deploying write (in-body deploy PATCH), rename, deploy
# POST, connection create, update and delete; each column is one run of matrix.yml over every row
# (fault) of vars/rows.yml, against its own emulator, all at once; a fifth run repeats the rows where a deploying write lost its answer
# against an emulator with --proxy-detail documented, where reading back needs the export. Then the TLS row: an HTTPS emulator with a throw-away
# self-signed certificate (needs openssl; skipped with a message without it).
set -eux
# shellcheck source=../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh
logs=${OUTPUT_DIR:-$(mktemp -d)}

run_column() {  # run_column KIND [ansible-playbook options...]: one column against its own emulator
  local kind=$1
  shift
  if [ "$kind" = deploy-documented ]; then
    start_emulator --quiet --proxy-detail documented
    ansible-playbook -i localhost, -c local -e 'ansible_python_interpreter={{ ansible_playbook_python }}' -e kind=deploy \
      -e proxy_detail=documented -e only_reads_back=true matrix.yml "$@"
  else
    start_emulator --quiet
    ansible-playbook -i localhost, -c local -e 'ansible_python_interpreter={{ ansible_playbook_python }}' -e "kind=$kind" matrix.yml "$@"
  fi
}

kinds=(settings deploy rename deploy_post conn_create conn_update conn_delete deploy-documented)
pids=()
for kind in "${kinds[@]}"; do
  ( run_column "$kind" "$@" ) > "$logs/fault-matrix-$kind.log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!kinds[@]}"; do
  log="$logs/fault-matrix-${kinds[$i]}.log"
  if wait "${pids[$i]}"; then
    echo "== column ${kinds[$i]}: $(grep -E '^localhost +: ok=' "$log")"
  else
    failed=1
    grep -A40 'What each cell ended in' "$log" || tail -n 60 "$log"
    echo "FAILED: fault matrix column ${kinds[$i]} (full output: $log)" >&2
  fi
done

# TLS mismatch: the server's certificate is signed by nobody the client trusts.
if command -v openssl > /dev/null; then
  tls_dir=$(mktemp -d)
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$tls_dir/key.pem" -out "$tls_dir/cert.pem" 2> "$tls_dir/openssl.err"
  start_emulator --quiet --tls-cert "$tls_dir/cert.pem" --tls-key "$tls_dir/key.pem"
  if ! ansible-playbook -i localhost, -c local -e 'ansible_python_interpreter={{ ansible_playbook_python }}' \
      -e "server_cert=$tls_dir/cert.pem" tls.yml "$@" > "$logs/fault-matrix-tls.log" 2>&1; then
    failed=1
    tail -n 80 "$logs/fault-matrix-tls.log"
    echo "FAILED: fault matrix TLS row (full output: $logs/fault-matrix-tls.log)" >&2
  else
    echo "== TLS row: $(grep -E '^localhost +: ok=' "$logs/fault-matrix-tls.log")"
  fi
  stop_emulator
  rm -rf "$tls_dir"
else
  echo "SKIPPED: TLS row of the fault matrix: openssl is not installed, so no throw-away certificate can be made"
fi
exit "$failed"
