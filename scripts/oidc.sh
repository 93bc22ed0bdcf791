# Starts a real OpenID Connect provider on 127.0.0.1 (PyPI oidc-provider-mock, ../shared/PEERS.md) and exports
#   LOAM_TEST_OIDC_ISSUER   its issuer, http://127.0.0.1:PORT
# Its users: alice-1 <alice@example.com> and carol-3 <carol@example.com>, whose addresses it vouches for, and
# bob-2 <bob@example.com>, whose address it does not (email_verified false). Stop it with stop_oidc.
# Sourced by scripts/test after scripts/lib.sh and scripts/smtp.sh (whose virtual environment it shares).

LOAM_OIDC_PID=""

start_oidc() {
  local dir=$1 venv port
  venv=$(smtp_venv) || return 1
  # 0.4.x needs Python 3.12; this machine's Python is 3.11.
  if ! "$venv/bin/python" -c 'import importlib.metadata as m, sys; sys.exit(m.version("oidc-provider-mock") != "0.3.4")' 2>/dev/null; then
    echo "scripts: installing oidc-provider-mock 0.3.4 into $venv" >&2
    "$venv/bin/pip" install -q --disable-pip-version-check "oidc-provider-mock==0.3.4" >&2 || return 1
  fi
  mkdir -p "$dir"
  port=$(free_port)
  "$venv/bin/oidc-provider-mock" -p "$port" -n true \
    --user-claims '{"sub":"alice-1","email":"alice@example.com","email_verified":true,"name":"Alice Example"}' \
    --user-claims '{"sub":"bob-2","email":"bob@example.com","email_verified":false,"name":"Bob Example"}' \
    --user-claims '{"sub":"carol-3","email":"carol@example.com","email_verified":true,"name":"Carol Example"}' \
    >"$dir/oidc.log" 2>&1 &
  LOAM_OIDC_PID=$!
  wait_for_port "$port" 60 || { cat "$dir/oidc.log" >&2; return 1; }
  export LOAM_TEST_OIDC_ISSUER="http://127.0.0.1:$port"
}

stop_oidc() {
  if [ -n "$LOAM_OIDC_PID" ]; then
    kill "$LOAM_OIDC_PID" 2>/dev/null || true
    wait "$LOAM_OIDC_PID" 2>/dev/null || true
    LOAM_OIDC_PID=""
  fi
}
