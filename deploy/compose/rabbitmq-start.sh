#!/usr/bin/env bash
# Entry point of the compose RabbitMQ container: starts the broker (which loads definitions.json:
# topology and one password-less user per service), then sets each service user's password from
# its secret file /run/secrets/<service>_amqp_password, read from standard input so it is never
# on a command line. The health check passes only once the passwords are set.
set -euo pipefail
marker=/tmp/orderflow-passwords-set
rm -f "$marker"

docker-entrypoint.sh rabbitmq-server &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true; wait "$server"; exit $?' TERM INT

until rabbitmq-diagnostics -q check_running >/dev/null 2>&1; do
    if ! kill -0 "$server" 2>/dev/null; then
        wait "$server"
        exit $?
    fi
    sleep 2
done

for secret in /run/secrets/*_amqp_password; do
    [ -e "$secret" ] || continue
    user=$(basename "$secret" _amqp_password)
    rabbitmqctl -q change_password "$user" < "$secret"
    echo "orderflow: password set for broker user $user"
done
touch "$marker"

wait "$server"
