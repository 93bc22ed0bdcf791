# Headless Chromium and Selenium for scripts/browser_test.py, the real-browser test of the web pages.
# Sourced by scripts/test after scripts/lib.sh (apt_install). `start_browser_tools` exports:
#   LOAM_BROWSER_PYTHON        the venv's Python, with Selenium
#   LOAM_CHROMIUM              Debian's chromium binary
#   LOAM_CHROMEDRIVER          Debian's chromedriver (Selenium's own driver download cannot reach its servers here)

# 4.50.0: the newest whose dependencies (certifi) the package mirror here has.
LOAM_SELENIUM_VERSION=4.50.0

start_browser_tools() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    apt_install chromium chromium-driver || return 1
  fi
  # The same virtual environment as scripts/smtp.sh: the Python here is not Debian's, so Selenium comes from PyPI.
  local venv=${XDG_CACHE_HOME:-$HOME/.cache}/loam/venv
  if [ ! -x "$venv/bin/python" ]; then
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv" >&2 || return 1
  fi
  if ! "$venv/bin/python" -c "import selenium, sys; sys.exit(selenium.__version__ != '$LOAM_SELENIUM_VERSION')" 2>/dev/null; then
    echo "scripts: installing selenium $LOAM_SELENIUM_VERSION into $venv" >&2
    "$venv/bin/pip" install -q --disable-pip-version-check "selenium==$LOAM_SELENIUM_VERSION" >&2 || return 1
  fi
  export LOAM_BROWSER_PYTHON="$venv/bin/python"
  export LOAM_CHROMIUM=/usr/bin/chromium
  export LOAM_CHROMEDRIVER=/usr/bin/chromedriver
}
