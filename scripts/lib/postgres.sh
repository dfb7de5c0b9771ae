# A throwaway PostgreSQL server for the database tests, on a free local port.
# Backstage's TestDatabases picks it up from
# BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING.

start_test_postgres() {
  local bin major port data sudo_pg
  bin="$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -1)")"
  major="$(basename "$(dirname "$bin")")"
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  data="$(mktemp -d /tmp/kaito-pg.XXXXXX)"
  KAITO_PG_DATA="$data"
  KAITO_PG_BIN="$bin"
  # PostgreSQL refuses to run as root; use the postgres system user then.
  sudo_pg=""
  if [ "$(id -u)" = "0" ]; then
    chown postgres "$data"
    sudo_pg="runuser -u postgres --"
  fi
  KAITO_PG_RUN="$sudo_pg"
  $sudo_pg "$bin/initdb" -D "$data/db" -U postgres --auth=trust -E UTF8 >/dev/null
  $sudo_pg "$bin/pg_ctl" -D "$data/db" -l "$data/log" -w \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=postgresql://postgres@127.0.0.1:$port"
  export KAITO_TEST_POSTGRES_MAJOR="$major"
  kaito_log "PostgreSQL $major for database tests on 127.0.0.1:$port"
}

stop_test_postgres() {
  [ -n "${KAITO_PG_DATA:-}" ] || return 0
  $KAITO_PG_RUN "$KAITO_PG_BIN/pg_ctl" -D "$KAITO_PG_DATA/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$KAITO_PG_DATA"
}
