#!/usr/bin/env bash
# The fleet's backing services on loopback, with the project's own data dirs and ports:
#   RabbitMQ   AMQP 127.0.0.1:5673, management 15673, prometheus 15693 (user ktp / ktp-dev, vhost /)
#   PostgreSQL 127.0.0.1:5433 (user ktp / ktp-dev, database ktp)
#   Redis      127.0.0.1:6380 (no persistence)
# usage: scripts/services.sh start|stop|status|restart [rabbitmq|postgres|redis]...
# Idempotent and quick when everything already runs; installs missing packages first.
set -euo pipefail
KTP_ROOT=${KTP_ROOT:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"}
export KTP_ROOT
# shellcheck source=scripts/bootstrap.sh
source "$KTP_ROOT/scripts/bootstrap.sh"

SVC_DIR="$KTP_STATE/services"
RMQ_NODE="ktp-rabbit@localhost"
RMQ_AMQP_PORT=5673 RMQ_MGMT_PORT=15673 RMQ_PROM_PORT=15693 RMQ_DIST_PORT=25673
PG_PORT=5433
REDIS_PORT=6380
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # wait_port PORT SECONDS NAME
  local i
  for ((i = 0; i < $2 * 10; i++)); do port_open "$1" && return 0; sleep 0.1; done
  ktp_die "$3 did not open 127.0.0.1:$1 within $2 s"
}

# The service users need to reach their data dirs under the work tree.
own_dir() { # own_dir USER DIR
  mkdir -p "$2"; chown -R "$1:" "$2"; chmod 700 "$2"
  local d; d=$(dirname "$2")
  while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
}

as_user() { local u=$1; shift; if [ "$(id -un)" = "$u" ]; then "$@" 9>&-; else runuser -u "$u" -- "$@" 9>&-; fi; }

# ---------------------------------------------------------------- RabbitMQ
rmq_env() {
  local d="$SVC_DIR/rabbitmq"
  # The system cookie (HOME of the rabbitmq user) so any rabbitmqctl on this machine can manage the node.
  echo env HOME=/var/lib/rabbitmq RABBITMQ_NODENAME="$RMQ_NODE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT=$RMQ_AMQP_PORT RABBITMQ_DIST_PORT=$RMQ_DIST_PORT \
    RABBITMQ_MNESIA_BASE="$d/mnesia" RABBITMQ_LOG_BASE="$d/log" RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" RABBITMQ_PID_FILE="$d/rabbit.pid" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config" ERL_EPMD_ADDRESS=127.0.0.1
}
rmq() { local cmd=$1; shift; as_user rabbitmq $(rmq_env) "/usr/lib/rabbitmq/bin/$cmd" "$@"; }

rabbitmq_running() { port_open $RMQ_AMQP_PORT && port_open $RMQ_MGMT_PORT; }

rabbitmq_start() {
  rabbitmq_running && return 0
  local d="$SVC_DIR/rabbitmq"
  own_dir rabbitmq "$d"
  if [ ! -f "$d/rabbitmq.conf" ]; then
    cat >"$d/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$RMQ_AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RMQ_MGMT_PORT
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = $RMQ_PROM_PORT
default_vhost = /
default_user = ktp
default_pass = ktp-dev
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
loopback_users = none
collect_statistics_interval = 1000
EOF
    echo '[rabbitmq_management,rabbitmq_prometheus].' >"$d/enabled_plugins"
    echo '[].' >"$d/advanced.config"
    chown -R rabbitmq: "$d"
  fi
  ktp_log "starting RabbitMQ ($RMQ_NODE, amqp :$RMQ_AMQP_PORT, management :$RMQ_MGMT_PORT)"
  # A detached node is not known to epmd for a moment; `wait PIDFILE` covers that gap, then the app's boot.
  rm -f "$d/rabbit.pid"
  (cd "$d" && rmq rabbitmq-server -detached) >"$d/start.log" 2>&1 || { cat "$d/start.log" >&2; ktp_die "rabbitmq-server failed"; }
  rmq rabbitmqctl -n "$RMQ_NODE" -q wait "$d/rabbit.pid" --timeout 120 >"$d/await.log" 2>&1 \
    || { tail -n 20 "$d/await.log" "$d"/log/*.log >&2 || true; ktp_die "RabbitMQ did not start"; }
  # A data dir from an earlier run keeps its users; make sure ours is there either way.
  rmq rabbitmqctl -n "$RMQ_NODE" -q add_user ktp ktp-dev >/dev/null 2>&1 || true
  rmq rabbitmqctl -n "$RMQ_NODE" -q set_user_tags ktp administrator >/dev/null
  rmq rabbitmqctl -n "$RMQ_NODE" -q set_permissions -p / ktp '.*' '.*' '.*' >/dev/null
  wait_port $RMQ_MGMT_PORT 60 "RabbitMQ management"
}

rabbitmq_stop() {
  port_open $RMQ_AMQP_PORT || port_open $RMQ_DIST_PORT || return 0
  ktp_log "stopping RabbitMQ"
  rmq rabbitmqctl -n "$RMQ_NODE" -q stop >/dev/null 2>&1 || true
  local i; for ((i = 0; i < 300; i++)); do port_open $RMQ_AMQP_PORT || break; sleep 0.1; done
}

rabbitmq_status() { rabbitmq_running && echo "rabbitmq  running  amqp://ktp:***@127.0.0.1:$RMQ_AMQP_PORT  http://127.0.0.1:$RMQ_MGMT_PORT  metrics http://127.0.0.1:$RMQ_PROM_PORT/metrics" || echo "rabbitmq  stopped"; }

# ---------------------------------------------------------------- PostgreSQL
PG_DATA="$SVC_DIR/postgres/data"
pg_running() { port_open $PG_PORT; }

postgres_start() {
  pg_running && return 0
  [ -n "$PG_BIN" ] || ktp_die "PostgreSQL binaries not found under /usr/lib/postgresql"
  local d="$SVC_DIR/postgres" fresh=0
  own_dir postgres "$d"
  mkdir -p "$d/sock"; chown postgres: "$d/sock"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    fresh=1
    ktp_log "initialising PostgreSQL data dir"
    as_user postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >"$d/initdb.log" 2>&1 || { cat "$d/initdb.log" >&2; ktp_die "initdb failed"; }
    cat >>"$PG_DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$d/sock'
max_connections = 300
shared_buffers = 256MB
logging_collector = off
EOF
  fi
  ktp_log "starting PostgreSQL (:$PG_PORT)"
  as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$d/postgres.log" -w -t 60 start >/dev/null \
    || { tail -n 20 "$d/postgres.log" >&2; ktp_die "PostgreSQL did not start"; }
  if [ $fresh = 1 ] || ! as_user postgres "$PG_BIN/psql" -h "$d/sock" -p $PG_PORT -U postgres -tAc \
       "select 1 from pg_roles where rolname='ktp'" | grep -q 1; then
    as_user postgres "$PG_BIN/psql" -q -h "$d/sock" -p $PG_PORT -U postgres -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ktp') THEN
    CREATE ROLE ktp LOGIN CREATEDB PASSWORD 'ktp-dev';
  END IF;
END $$;
SELECT 'CREATE DATABASE ktp OWNER ktp' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'ktp')\gexec
SQL
  fi
}

postgres_stop() {
  pg_running || [ -f "$PG_DATA/postmaster.pid" ] || return 0
  ktp_log "stopping PostgreSQL"
  as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

postgres_status() { pg_running && echo "postgres  running  postgres://ktp:***@127.0.0.1:$PG_PORT/ktp" || echo "postgres  stopped"; }

# ---------------------------------------------------------------- Redis
redis_running() { port_open $REDIS_PORT; }

redis_start() {
  redis_running && return 0
  local d="$SVC_DIR/redis"
  own_dir redis "$d"
  ktp_log "starting Redis (:$REDIS_PORT)"
  as_user redis redis-server --bind 127.0.0.1 --port $REDIS_PORT --save '' --appendonly no --daemonize yes \
    --dir "$d" --pidfile "$d/redis.pid" --logfile "$d/redis.log" --protected-mode yes
  wait_port $REDIS_PORT 20 Redis
}

redis_stop() {
  redis_running || return 0
  ktp_log "stopping Redis"
  redis-cli -h 127.0.0.1 -p $REDIS_PORT shutdown nosave >/dev/null 2>&1 || true
  local i; for ((i = 0; i < 100; i++)); do redis_running || break; sleep 0.1; done
}

redis_status() { redis_running && echo "redis     running  redis://127.0.0.1:$REDIS_PORT" || echo "redis     stopped"; }

# ---------------------------------------------------------------- main
action=${1:-status}; [ $# -gt 0 ] && shift
services=("$@"); [ ${#services[@]} -gt 0 ] || services=(rabbitmq postgres redis)
for s in "${services[@]}"; do
  case "$s" in rabbitmq|postgres|redis) ;; *) ktp_die "unknown service '$s' (rabbitmq|postgres|redis)" ;; esac
done
# One caller at a time: test runs, ./ktp up and helpers may all call this at once.
mkdir -p "$SVC_DIR"
if [ "$action" != status ]; then
  # Daemons started below must not inherit fd 9, or they would hold the lock for their whole life.
  exec 9>"$SVC_DIR/services.lock"
  flock -w 300 9 || ktp_die "another services.sh holds $SVC_DIR/services.lock"
fi
case "$action" in
  start|restart)
    ktp_ensure_packages $KTP_PKGS_SERVICES
    for s in "${services[@]}"; do
      [ "$action" = restart ] && "${s}_stop"
      "${s}_start"
    done ;;
  stop) for s in "${services[@]}"; do "${s}_stop"; done ;;
  status) for s in "${services[@]}"; do "${s}_status"; done ;;
  *) echo "usage: scripts/services.sh start|stop|status|restart [rabbitmq|postgres|redis]..." >&2; exit 2 ;;
esac
