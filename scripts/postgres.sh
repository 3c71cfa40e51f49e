#!/usr/bin/env bash
# Starts a PostgreSQL server for the tests, idempotently: Debian's PostgreSQL (installed if it is
# missing), a cluster in $DEPIN_PG_DIR (default /tmp/depin-postgres) owned by the postgres user,
# listening on 127.0.0.1:$DEPIN_PG_PORT (default 54329) only, with trust authentication for
# loopback. Prints the URL the tests read from DEPIN_TEST_POSTGRES_URL.
set -euo pipefail

dir="${DEPIN_PG_DIR:-/tmp/depin-postgres}"
port="${DEPIN_PG_PORT:-54329}"

bin=""
for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/pg_ctl" ] && bin="$candidate"
done
if [ -z "$bin" ]; then
    echo "setup: installing postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
    for candidate in /usr/lib/postgresql/*/bin; do
        [ -x "$candidate/pg_ctl" ] && bin="$candidate"
    done
fi

# The server will not run as root: it runs as the postgres user (Debian's package makes it).
as_postgres=()
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /bin/false postgres
    as_postgres=(runuser -u postgres --)
fi

if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    "${as_postgres[@]}" "$bin/initdb" -D "$dir" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
fi

if ! "${as_postgres[@]}" "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    # fsync stays on: the store's durability is part of what the tests check.
    "${as_postgres[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=200" start >/dev/null
fi
echo "postgres://postgres@127.0.0.1:$port/postgres"
