#!/usr/bin/env bash
# Run once by the postgres image on an empty data directory (mounted into
# /docker-entrypoint-initdb.d by deploy/docker-compose.yml): applies roles.sql, one login role per
# service owning only its schema. Each password comes from the secret file
# /run/secrets/<service>_db_password through psql's backtick substitution, so it is never on a
# command line, in the repository or in an image.
set -euo pipefail
roles_sql=/orderflow/postgres/roles.sql
services=(sales production warehouse logistics customer_service)
{
    for service in "${services[@]}"; do
        printf '\\set %s_service_password `cat /run/secrets/%s_db_password`\n' "$service" "$service"
    done
    cat "$roles_sql"
} | psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" \
    --dbname "${POSTGRES_DB:-postgres}"
