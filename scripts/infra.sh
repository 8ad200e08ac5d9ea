#!/usr/bin/env bash
# Make sure PostgreSQL and RabbitMQ answer on localhost: start them if installed but stopped,
# install them with apt-get if missing. Sourced by setup.sh; safe to run again.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

ensure_postgres() {
  if pg_up; then return; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "installing PostgreSQL" >&2
    apt_install postgresql
  fi
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "starting PostgreSQL $version" >&2
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 60); do pg_up && break; sleep 1; done
  pg_up || { echo "PostgreSQL did not start" >&2; exit 1; }
  # A fresh install asks for passwords on TCP; the tests connect as postgres without one.
  if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    local hba
    hba=$(as_root su postgres -c "psql -Atc 'show hba_file'")
    as_root sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
    as_root su postgres -c "psql -Atc 'select pg_reload_conf()'" >/dev/null
  fi
  if ! psql -h 127.0.0.1 -U postgres -d test -Atc 'select 1' >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -d postgres -c 'CREATE DATABASE test' >/dev/null
  fi
}

rabbit_up() { timeout 60 rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1; }

# RabbitMQ keeps a file handle per classic-queue index and per socket; started outside systemd it
# inherits a soft limit of 1024, and past ~900 handles new connections wait forever. Start it with
# the soft limit raised to the hard one.
start_rabbitmq_node() {
  as_root su rabbitmq -s /bin/sh -c \
    'cd /var/lib/rabbitmq && ulimit -n "$(ulimit -Hn)" && /usr/lib/rabbitmq/bin/rabbitmq-server -detached' \
    || as_root rabbitmq-server -detached || true
}

rabbit_fd_limit() {
  local pid
  pid=$(pgrep -u rabbitmq -f 'beam.smp.*rabbit' | head -n 1) || return 1
  awk '/Max open files/ {print $4}' "/proc/$pid/limits"
}

ensure_rabbitmq() {
  local limit
  limit=$(rabbit_fd_limit 2>/dev/null || echo "")
  if [ -n "$limit" ] && [ "$limit" -lt 4096 ] && [ "$(ulimit -Hn)" != "$limit" ]; then
    echo "restarting RabbitMQ with a higher open-file limit (was $limit)" >&2
    as_root timeout 120 rabbitmqctl stop >/dev/null 2>&1 || true
  fi
  if rabbit_up; then return; fi
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    echo "installing RabbitMQ" >&2
    apt_install rabbitmq-server
  fi
  echo "starting RabbitMQ" >&2
  if ! timeout 60 rabbitmqctl -q status >/dev/null 2>&1; then
    start_rabbitmq_node
  else
    as_root rabbitmqctl start_app >/dev/null || true  # node up, app stopped
  fi
  as_root rabbitmqctl -q await_startup --timeout 120 >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do rabbit_up && break; sleep 1; done
  rabbit_up || { echo "RabbitMQ did not start" >&2; exit 1; }
}

ensure_infra() {
  ensure_postgres
  ensure_rabbitmq
}
