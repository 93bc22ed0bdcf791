# Starts the test SMTP servers on 127.0.0.1 in "$1" and exports their URLs and Maildirs; stop them with stop_smtp.
# Sourced by scripts/test after scripts/lib.sh (free_port, wait_for_port, apt_install).
#   LOAM_TEST_SMTP_URL / _MAILDIR            aiosmtpd's own Mailbox server: no TLS, no AUTH
#   LOAM_TEST_SMTP_AUTH_URL / _AUTH_MAILDIR  scripts/smtp_server.py: STARTTLS required, then AUTH PLAIN/LOGIN
#   LOAM_TEST_SMTPS_URL / SMTPS_MAILDIR      scripts/smtp_server.py: implicit TLS, then AUTH PLAIN/LOGIN
#   LOAM_TEST_SMTP_CA_FILE                   the CA that signed both TLS servers' certificate

LOAM_SMTP_PIDS=()

# A virtual environment kept across runs: the Python here is not Debian's, so aiosmtpd comes from PyPI.
smtp_venv() {
  local venv=${XDG_CACHE_HOME:-$HOME/.cache}/loam/venv
  if [ ! -x "$venv/bin/python" ]; then
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv" >&2 || return 1
  fi
  if ! "$venv/bin/python" -c 'import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != "1.4.6")' 2>/dev/null; then
    echo "scripts: installing aiosmtpd 1.4.6 into $venv" >&2
    "$venv/bin/pip" install -q --disable-pip-version-check "aiosmtpd==1.4.6" >&2 || return 1
  fi
  echo "$venv"
}

# A throw-away CA and a server certificate for 127.0.0.1 and localhost, signed by it.
make_smtp_certificates() {
  local tls=$1
  command -v openssl >/dev/null || apt_install openssl
  mkdir -p "$tls"
  (
    cd "$tls" || exit 1
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
      -subj "/CN=Loam test SMTP CA" -keyout ca.key -out ca.pem \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" &&
      openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -subj "/CN=localhost" -keyout server.key -out server.csr &&
      printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
        "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" >server.ext &&
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
        -extfile server.ext -out server.pem
  ) >"$tls/openssl.log" 2>&1 || { cat "$tls/openssl.log" >&2; return 1; }
}

start_smtp() {
  local dir=$1 venv
  venv=$(smtp_venv) || return 1
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  mkdir -p "$dir"
  make_smtp_certificates "$dir/tls" || return 1

  # The password needs percent-encoding in a URL ('@', ' ', '!'), so tests cover the decoding.
  local password='p@ss w0rd!' encoded='p%40ss%20w0rd%21'
  local plain_port auth_port tls_port
  plain_port=$(free_port)
  "$venv/bin/python" -m aiosmtpd -n -l "127.0.0.1:$plain_port" -c aiosmtpd.handlers.Mailbox "$dir/maildir" \
    >"$dir/smtp-plain.log" 2>&1 &
  LOAM_SMTP_PIDS+=($!)

  auth_port=$(free_port)
  LOAM_SMTP_PASSWORD=$password "$venv/bin/python" "$here/smtp_server.py" --mode starttls --port "$auth_port" \
    --maildir "$dir/maildir-auth" --cert "$dir/tls/server.pem" --key "$dir/tls/server.key" \
    >"$dir/smtp-auth.log" 2>&1 &
  LOAM_SMTP_PIDS+=($!)

  tls_port=$(free_port)
  LOAM_SMTP_PASSWORD=$password "$venv/bin/python" "$here/smtp_server.py" --mode implicit --port "$tls_port" \
    --maildir "$dir/maildir-tls" --cert "$dir/tls/server.pem" --key "$dir/tls/server.key" \
    >"$dir/smtp-tls.log" 2>&1 &
  LOAM_SMTP_PIDS+=($!)

  local port log
  for port in "$plain_port" "$auth_port" "$tls_port"; do
    wait_for_port "$port" 30 || {
      for log in "$dir"/smtp-*.log; do echo "== $log" >&2; cat "$log" >&2; done
      stop_smtp
      return 1
    }
  done

  export LOAM_TEST_SMTP_URL="smtp://127.0.0.1:$plain_port"
  export LOAM_TEST_SMTP_MAILDIR="$dir/maildir"
  export LOAM_TEST_SMTP_AUTH_URL="smtp://loam:$encoded@127.0.0.1:$auth_port"
  export LOAM_TEST_SMTP_AUTH_MAILDIR="$dir/maildir-auth"
  export LOAM_TEST_SMTPS_URL="smtps://loam:$encoded@127.0.0.1:$tls_port"
  export LOAM_TEST_SMTPS_MAILDIR="$dir/maildir-tls"
  export LOAM_TEST_SMTP_CA_FILE="$dir/tls/ca.pem"
}

stop_smtp() {
  local pid
  for pid in "${LOAM_SMTP_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${LOAM_SMTP_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  LOAM_SMTP_PIDS=()
}
