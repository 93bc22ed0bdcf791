# The Python peers that Loam's import parsers are compared with and measured against
# (issue #9: `email` from the standard library, icalendar, vobject, recurring-ical-events),
# in a virtual environment kept across runs outside the work tree.
#   source scripts/python_peers.sh && peers_python_export   # exports LOAM_PEERS_PYTHON
#   bash scripts/python_peers.sh                            # prints the path of its python
# LOAM_PEERS_VENV overrides where the environment lives.

# Every package pinned, dependencies too, so the peers' answers and speed do not move under us.
LOAM_PEERS_PINS=(
  "icalendar==7.3.0"
  "vobject==0.9.9"
  "recurring-ical-events==3.8.2"
  "x-wr-timezone==2.0.1"
  "python-dateutil==2.9.0.post0"
  "pytz==2026.6"
  "six==1.17.0"
  "tzdata==2026.6"
  "typing_extensions==4.16.0"
  "click==8.5.1"
)

# Creates or updates the environment and prints its python. The pins are written to a stamp file
# after a successful install, so a run that finds the same stamp does nothing (no pip, no network).
peers_python() {
  local venv=${LOAM_PEERS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/loam/peers-venv}
  local stamp="$venv/loam-peers.pins" want
  want=$(printf '%s\n' "${LOAM_PEERS_PINS[@]}")
  if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "$venv/bin/python"
    return 0
  fi
  if [ ! -x "$venv/bin/python" ]; then
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv" >&2 || return 1
  fi
  echo "scripts: installing the Python peers (${LOAM_PEERS_PINS[*]:0:3}) into $venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check "${LOAM_PEERS_PINS[@]}" >&2 || return 1
  "$venv/bin/python" -c 'import icalendar, vobject, recurring_ical_events' || return 1
  printf '%s\n' "$want" >"$stamp"
  echo "$venv/bin/python"
}

# Sets LOAM_PEERS_PYTHON for the tests and benchmarks that compare with the peers.
peers_python_export() {
  LOAM_PEERS_PYTHON=$(peers_python) || return 1
  export LOAM_PEERS_PYTHON
}

# Run rather than sourced: print the path.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  peers_python
fi
