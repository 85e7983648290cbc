#!/usr/bin/env bash
# Coming from OpenMessaging / RocketMQ Connect: the connector workflow over Tributary's REST API (docs/rest-api.md) —
# create a pipeline stopped, precheck it against its real source and sink, start it, watch it run, pause and resume
# it, delete it (and its PostgreSQL replication slot). Each answer is printed; any refusal stops the session.
#
#   TRIBUTARY=http://localhost:8080 config/examples/rest-session.sh config/examples/postgres-to-kafka.yaml
#
# TRIBUTARY_API_TOKEN, when the API has a token; KEEP=1 leaves the pipeline running instead of deleting it.
set -euo pipefail

api="${TRIBUTARY:-http://localhost:8080}/api"
file="${1:?usage: rest-session.sh PIPELINE.yaml}"
name=$(sed -n 's/^pipeline:[[:space:]]*\([A-Za-z0-9_-]*\).*/\1/p' "$file" | head -n 1)
[ -n "$name" ] || { echo "$file: no 'pipeline:' line" >&2; exit 2; }
auth=()
if [ -n "${TRIBUTARY_API_TOKEN:-}" ]; then auth=(-H "Authorization: Bearer $TRIBUTARY_API_TOKEN"); fi

# call METHOD PATH [curl args...]: prints the answer; fails on an HTTP error, printing the API's reason
call() {
  local method=$1 path=$2 body status
  shift 2
  body=$(curl -sS -X "$method" "${auth[@]}" -w '\n%{http_code}' "$api$path" "$@")
  status=${body##*$'\n'}
  body=${body%$'\n'*}
  echo "$body"
  if [ "$status" -ge 400 ]; then
    echo "$method $path answered $status" >&2
    return 1
  fi
}

# await_state STATE: polls the status until the pipeline is in STATE (60 s at most)
await_state() {
  for _ in $(seq 1 120); do
    if call GET "/pipelines/$name" | grep -q "\"state\":\"$1\""; then return 0; fi
    sleep 0.5
  done
  echo "$name did not reach $1 within 60 s" >&2
  return 1
}

echo "== create $name, stopped"
call POST "/pipelines?start=false" -H 'Content-Type: application/yaml' --data-binary @"$file"

echo "== precheck"
checks=$(call POST "/pipelines/$name/precheck")
echo "$checks"
echo "$checks" | grep -q '"passed":true' || { echo "precheck failed: $name stays stopped (delete it with DELETE /api/pipelines/$name)" >&2; exit 1; }

echo "== start"
call POST "/pipelines/$name/start" > /dev/null
await_state RUNNING
call GET "/pipelines/$name"

echo "== pause"
call POST "/pipelines/$name/pause"
await_state PAUSED

echo "== resume"
call POST "/pipelines/$name/resume"
await_state RUNNING

if [ "${KEEP:-0}" = 1 ]; then
  echo "== $name keeps running"
  exit 0
fi
echo "== delete"
call DELETE "/pipelines/$name?dropSlot=true"
