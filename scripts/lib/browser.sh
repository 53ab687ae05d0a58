# shellcheck shell=bash
# Installs what the headless-browser test of the dashboard needs (system-tests DashboardProcessTest):
# Debian's chromium, Node.js with npm, and playwright-core from the committed package-lock.json in
# system-tests/browser. Idempotent: it installs only what is missing or out of date. playwright-core
# never downloads a browser; the test drives /usr/bin/chromium.
#
# Sourced by scripts/test (basalt_install_browser); also runs on its own: scripts/lib/browser.sh
# Returns non-zero with a one-line reason when something cannot be installed.

BASALT_BROWSER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/system-tests/browser"

# apt-get installs the Debian packages $@ (root only); prints why not otherwise.
basalt_apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "browser.sh: need the Debian package(s) $* and cannot install them here (not root, or no apt-get)" >&2
    return 1
  fi
  echo "browser.sh: installing $* (Debian)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"; } >/dev/null \
    || { echo "browser.sh: apt-get install $* failed" >&2; return 1; }
}

basalt_install_browser() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    basalt_apt_install "${missing[@]}" || return 1
  fi
  # npm ci again only when the lock file changed since the last install (npm writes its own copy).
  local installed="$BASALT_BROWSER_DIR/node_modules/.package-lock.json"
  if [ ! -d "$BASALT_BROWSER_DIR/node_modules/playwright-core" ] || [ "$BASALT_BROWSER_DIR/package-lock.json" -nt "$installed" ]; then
    echo "browser.sh: npm ci in system-tests/browser (playwright-core)"
    (cd "$BASALT_BROWSER_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
      || { echo "browser.sh: npm ci in $BASALT_BROWSER_DIR failed" >&2; return 1; }
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  basalt_install_browser
fi
