# A throwaway PostgreSQL cluster for tests and benchmarks: Debian's
# PostgreSQL 15 run as the postgres user (root cannot run postgres) on a
# Unix socket in a directory of our own, no TCP.  Source it, then
#   pg_start [server options...]      initdb + start in a fresh directory
#                                     under /tmp (UTF-8)
#   pg_psql DB [psql args...]         psql as the postgres superuser
#   pg_stop                           stop the server and remove DIR
# pg_start sets PG_DIR and PG_SOCK (the socket directory: host=$PG_SOCK).
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_available() { [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/initdb" ]; }

pg_start() {
  # under /tmp, not beside the checkout: the postgres user must be able to
  # reach it, and a checkout (or a mktemp -d) may sit in a directory only
  # root can enter
  PG_DIR=$(mktemp -d /tmp/gpcov-pg.XXXXXX) || return 1
  PG_SOCK=$PG_DIR/sock
  mkdir -p "$PG_DIR/data" "$PG_SOCK" || return 1
  chmod 755 "$PG_DIR"
  chown postgres "$PG_DIR/data" "$PG_SOCK" || return 1
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -N -E UTF8 \
    --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w \
    -o "-k $PG_SOCK -c listen_addresses='' -c fsync=off $*" \
    -l "$PG_DIR/data/server.log" start >/dev/null || { cat "$PG_DIR/data/server.log" >&2; return 1; }
}

pg_psql() {
  db=$1; shift
  runuser -u postgres -- /usr/bin/psql -h "$PG_SOCK" -X -q -v ON_ERROR_STOP=1 "$@" "$db"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  PG_DIR=
}
