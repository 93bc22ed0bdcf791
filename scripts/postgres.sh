# Starts a throw-away PostgreSQL on 127.0.0.1 in "$1" and exports LOAM_PG_PORT and LOAM_PG_URL.
# Sourced by scripts/test; stop it with stop_postgres.

start_postgres() {
  local dir=$1
  apt_install postgresql
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$bin/initdb" ] || { echo "scripts: PostgreSQL server binaries not found" >&2; return 1; }
  # Debian's package may have started its own cluster on install; ours is separate and on its own port.
  LOAM_PG_DIR="$dir/pg"
  LOAM_PG_PORT=$(free_port)
  mkdir -p "$LOAM_PG_DIR"
  local run=()
  # PostgreSQL refuses to run as root: run it as the postgres user then.
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir" "$LOAM_PG_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$LOAM_PG_DIR" -A trust -U loam -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  # Tests open many connections in parallel (one schema per test app).
  "${run[@]}" "$bin/pg_ctl" -D "$LOAM_PG_DIR" -l "$dir/pg.log" -w \
    -o "-k $dir -h 127.0.0.1 -p $LOAM_PG_PORT -c max_connections=1000 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/pg.log" >&2; return 1; }
  LOAM_PG_BIN=$bin
  LOAM_PG_RUN=("${run[@]}")
  export LOAM_PG_URL="postgres://loam@127.0.0.1:$LOAM_PG_PORT/postgres"
  export LOAM_PG_PORT
  # For the test that reads a dump of the database for anything sealed that leaked in clear.
  export LOAM_TEST_PG_DUMP="$bin/pg_dump"
}

# Creates a database on the test server and prints its URL.
create_postgres_database() {
  "$LOAM_PG_BIN/createdb" -h 127.0.0.1 -p "$LOAM_PG_PORT" -U loam "$1"
  echo "postgres://loam@127.0.0.1:$LOAM_PG_PORT/$1"
}

stop_postgres() {
  [ -n "${LOAM_PG_DIR:-}" ] || return 0
  "${LOAM_PG_RUN[@]}" "$LOAM_PG_BIN/pg_ctl" -D "$LOAM_PG_DIR" -m fast -w stop >/dev/null 2>&1 || true
  LOAM_PG_DIR=""
}
