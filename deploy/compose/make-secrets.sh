#!/usr/bin/env sh
# Creates the secret files deploy/docker-compose.yml mounts, with fresh random passwords, in
# deploy/compose/secrets/ (git-ignored; never copied into an image). Existing files are kept, so
# running it again does not change passwords a started setup already uses.
#
#   deploy/compose/make-secrets.sh && docker compose -f deploy/docker-compose.yml up -d
set -eu
dir="$(cd "$(dirname "$0")" && pwd)/secrets"
mkdir -p "$dir"

random() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

# write NAME VALUE: only when the file does not exist yet, without a trailing newline.
write() {
    if [ ! -e "$dir/$1" ]; then
        (umask 077 && printf '%s' "$2" > "$dir/$1")
    fi
}

write postgres_password "$(random)"
write grafana_admin_password "$(random)"
for service in sales production warehouse logistics customer_service; do
    write "${service}_db_password" "$(random)"
    write "${service}_amqp_password" "$(random)"
    write "${service}_database_url" \
        "postgresql+asyncpg://${service}:$(cat "$dir/${service}_db_password")@postgres:5432/orderflow"
    write "${service}_amqp_url" \
        "amqp://${service}:$(cat "$dir/${service}_amqp_password")@rabbitmq:5672/"
done
# The carriers' signing secrets (carrier login -> secret, JSON): none until operations connect
# one, e.g. {"zto-gateway": "<random>"}, and give the carrier its secret.
write logistics_carrier_secrets '{}'
# Compose bind-mounts these files; the containers' non-root users must be able to read them.
chmod 644 "$dir"/*
chmod 755 "$dir"
echo "secrets in $dir"
