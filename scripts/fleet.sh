#!/usr/bin/env bash
# The local fleet: ./ktp up [--workers N] [--prometheus] | down | status | tenant create NAME
#                  scripts/fleet.sh load ingest|batch|e2e [options]   (load benchmark against the running fleet; docs/load.md)
#                  scripts/fleet.sh load compare [COUNT]   (both image stores side by side, API alone)
#   up      installs/starts RabbitMQ, PostgreSQL and Redis (scripts/services.sh), builds, starts the ingest API and
#           N worker processes from the built dlls, prints where everything listens
#   down    stops exactly what `up` started (pid files under .ktp/fleet; services only if `up` started them)
# Environment: KTP_API_PORT (8080), KTP_WORKER_PORT_BASE (8090), KTP_ENGINES (engines per worker, default 1),
# KTP_TENANT_POLICY_FILE, KTP_POSTGRES / KTP_AMQP / KTP_REDIS (defaults: the services.sh instances),
# KTP_IMAGE_STORE (default segments:.ktp/images; or postgres).
set -euo pipefail
KTP_ROOT=${KTP_ROOT:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"}
export KTP_ROOT OMP_THREAD_LIMIT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# shellcheck source=scripts/bootstrap.sh
source "$KTP_ROOT/scripts/bootstrap.sh"

FLEET="$KTP_STATE/fleet"
API_PORT=${KTP_API_PORT:-8080}
WORKER_PORT_BASE=${KTP_WORKER_PORT_BASE:-8090}
PROMETHEUS_PORT=${KTP_PROMETHEUS_PORT:-9090}
API_DLL="$KTP_ROOT/ingest-api/KtpFleet.Ingest/bin/$KTP_CONFIG/net10.0/KtpFleet.Ingest.dll"
WORKER_DLL="$KTP_ROOT/worker/KtpFleet.Worker/bin/$KTP_CONFIG/net10.0/KtpFleet.Worker.dll"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

http_ok() { # http_ok http://127.0.0.1:PORT/PATH -> true on a 200 (bash only: no curl needed)
  local rest=${1#http://} hostport path status
  hostport=${rest%%/*}; path=/${rest#*/}
  status=$( (exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}" && printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3 && head -n 1 <&3) 2>/dev/null ) || return 1
  [[ "$status" == *" 200 "* ]]
}

wait_http() { # wait_http URL SECONDS PIDFILE NAME
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    http_ok "$1" && return 0
    alive "$3" || { tail -n 20 "${3%.pid}.log" >&2; ktp_die "$4 exited during start (log: ${3%.pid}.log)"; }
    sleep 0.2
  done
  ktp_die "$4 did not answer $1 within $2 s (log: ${3%.pid}.log)"
}

start_process() { # start_process NAME URL DLL [ENV=VALUE...]
  local name=$1 url=$2 dll=$3; shift 3
  local pid="$FLEET/$name.pid"
  if alive "$pid"; then ktp_log "$name already running (pid $(cat "$pid"))"; return 0; fi
  # setsid: the process must outlive this script and not get the terminal's signals.
  env "$@" setsid dotnet "$dll" --urls "$url" >"$FLEET/$name.log" 2>&1 </dev/null &
  echo $! >"$pid"
  wait_http "$url/healthz" 90 "$pid" "$name"
}

# A local Prometheus scraping the API, the workers and RabbitMQ's per-queue metrics, so the Grafana dashboard's
# queries (charts/ktp-fleet/dashboards) can be run for real at http://127.0.0.1:$PROMETHEUS_PORT/graph.
start_prometheus() { # start_prometheus WORKERS
  local pid="$FLEET/prometheus.pid" config="$FLEET/prometheus.yml" workers="" i
  if alive "$pid"; then ktp_log "prometheus already running (pid $(cat "$pid"))"; return 0; fi
  ktp_ensure_packages $KTP_PKGS_DEPLOY
  for ((i = 1; i <= $1; i++)); do workers+="'127.0.0.1:$((WORKER_PORT_BASE + i))', "; done
  cat >"$config" <<YAML
global: {scrape_interval: 5s, evaluation_interval: 5s}
scrape_configs:
  - {job_name: ingest-api, static_configs: [{targets: ['127.0.0.1:$API_PORT']}]}
  - {job_name: workers, static_configs: [{targets: [${workers%, }]}]}
  - {job_name: rabbitmq, metrics_path: /metrics/per-object, static_configs: [{targets: ['127.0.0.1:15693']}]}
YAML
  setsid prometheus --config.file="$config" --storage.tsdb.path="$FLEET/prometheus" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >"$FLEET/prometheus.log" 2>&1 </dev/null &
  echo $! >"$pid"
  wait_http "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" 60 "$pid" prometheus
}

cmd_up() {
  local workers=2 prometheus=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --workers) workers=${2:?--workers needs a number}; shift 2 ;;
      --workers=*) workers=${1#*=}; shift ;;
      --prometheus) prometheus=1; shift ;;
      *) ktp_die "unknown option '$1' (up [--workers N] [--prometheus])" ;;
    esac
  done
  [[ "$workers" =~ ^[0-9]+$ ]] || ktp_die "--workers must be a number"
  ktp_ensure_dotnet
  ktp_ensure_packages $KTP_PKGS_OCR $KTP_PKGS_SERVICES
  ktp_build_shim
  ktp_build_dotnet
  mkdir -p "$FLEET"
  # Remember which services were down, so `down` stops only those.
  local s
  for s in rabbitmq postgres redis; do
    if "$KTP_ROOT/scripts/services.sh" status "$s" | grep -q stopped; then echo "$s" >>"$FLEET/services-started"; fi
  done
  "$KTP_ROOT/scripts/services.sh" start
  # Upload bytes go to segment files the API and the workers share (docs/load.md); KTP_IMAGE_STORE=postgres keeps them in the database.
  export KTP_IMAGE_STORE=${KTP_IMAGE_STORE:-segments:$KTP_STATE/images}
  ktp_log "starting ingest API on 127.0.0.1:$API_PORT (images: $KTP_IMAGE_STORE)"
  start_process ingest "http://127.0.0.1:$API_PORT" "$API_DLL"
  local i
  for ((i = 1; i <= workers; i++)); do
    ktp_log "starting worker-$i"
    start_process "worker-$i" "http://127.0.0.1:$((WORKER_PORT_BASE + i))" "$WORKER_DLL" \
      KTP_WORKER_NAME="worker-$i" KTP_ENGINES="${KTP_ENGINES:-1}"
  done
  if [ $prometheus = 1 ]; then ktp_log "starting prometheus on 127.0.0.1:$PROMETHEUS_PORT"; start_prometheus "$workers"; fi
  cmd_status
  cat <<EOF

Create a tenant:  ./ktp tenant create acme
Upload a card:    curl -H "Authorization: Bearer <key>" -F image=@card.jpg http://127.0.0.1:$API_PORT/v1/ktp-jobs
Stop everything:  ./ktp down
EOF
}

cmd_down() {
  [ -d "$FLEET" ] || { ktp_log "nothing to stop"; return 0; }
  local pid name p
  for pid in "$FLEET"/*.pid; do
    [ -e "$pid" ] || continue
    name=$(basename "$pid" .pid)
    if alive "$pid"; then
      p=$(cat "$pid")
      ktp_log "stopping $name (pid $p)"
      kill -TERM "$p" 2>/dev/null || true
      # Workers drain in-flight jobs on SIGTERM (up to KTP_DRAIN_SECONDS, default 30).
      local i; for ((i = 0; i < 400; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$p" 2>/dev/null && { ktp_log "$name did not stop in 40 s, killing"; kill -KILL "$p" 2>/dev/null || true; }
    fi
    rm -f "$pid"
  done
  if [ -f "$FLEET/services-started" ]; then
    # shellcheck disable=SC2046
    "$KTP_ROOT/scripts/services.sh" stop $(sort -u "$FLEET/services-started")
    rm -f "$FLEET/services-started"
  fi
}

cmd_status() {
  "$KTP_ROOT/scripts/services.sh" status
  local pid name port
  for pid in "$FLEET"/*.pid; do
    [ -e "$pid" ] || continue
    name=$(basename "$pid" .pid)
    case "$name" in
      ingest) port=$API_PORT ;;
      prometheus) port=$PROMETHEUS_PORT ;;
      *) port=$((WORKER_PORT_BASE + ${name#worker-})) ;;
    esac
    if alive "$pid"; then
      printf '%-9s running  http://127.0.0.1:%s  (pid %s, metrics /metrics, log %s)\n' "$name" "$port" "$(cat "$pid")" "$FLEET/$name.log"
    else
      printf '%-9s stopped\n' "$name"
    fi
  done
}

cmd_tenant() {
  ktp_ensure_dotnet
  ktp_build_dotnet
  "$KTP_ROOT/scripts/services.sh" start postgres
  dotnet "$API_DLL" tenant "$@"
}

cmd_load() {
  ktp_ensure_dotnet
  ktp_build_dotnet
  cd "$KTP_ROOT"
  dotnet "$KTP_ROOT/ingest-api/KtpFleet.LoadBench/bin/$KTP_CONFIG/net10.0/KtpFleet.LoadBench.dll" "$@" --url "http://127.0.0.1:$API_PORT"
}

# Both image stores side by side in one run, same code, same machine state: the API alone (no workers), single
# uploads (16 and 64 in flight) then bulk batches, with the CPU each process spent per upload. Bounded: COUNT
# uploads per measurement, after warm-up rounds that wait for the API's JIT to settle.
cmd_load_compare() {
  local count=${1:-4000} store
  for store in postgres "segments:$KTP_STATE/images-compare"; do
    rm -rf "$KTP_STATE/images-compare"
    ktp_log "image store $store"
    KTP_IMAGE_STORE=$store cmd_up --workers 0 >/dev/null
    cmd_load ingest --count "$count" --concurrency 16 --size 200000
    cmd_load ingest --count "$count" --concurrency 64 --size 200000
    cmd_load batch --count "$count" --batch-size 100 --concurrency 4 --size 200000
    cmd_down >/dev/null
  done
  rm -rf "$KTP_STATE/images-compare"
}

cmd=${1:-status}; [ $# -gt 0 ] && shift
case "$cmd" in
  up) cmd_up "$@" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  tenant) cmd_tenant "$@" ;;
  load) if [ "${1:-}" = compare ]; then shift; cmd_load_compare "$@"; else cmd_load "$@"; fi ;;
  *) echo "usage: fleet.sh up [--workers N] [--prometheus] | down | status | tenant create NAME | load ingest|batch|e2e [...] | load compare [COUNT]" >&2; exit 2 ;;
esac
