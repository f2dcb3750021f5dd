#!/usr/bin/env bash
# Installs what esgledger needs on a fresh Debian machine: system packages, a virtual
# environment in .venv, and the package itself. Usage: scripts/setup.sh [demo|test]
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-demo}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

debian_packages=()
# has TEXT COMMAND...: whether COMMAND's output holds TEXT. grep reads all of it (no -q), since
# under pipefail a grep that stops at the first match can fail the listing with SIGPIPE.
has() { local text="$1"; shift; "$@" 2>/dev/null | grep -i -- "$text" >/dev/null; }
# WeasyPrint renders the PDF report with Pango; fonts for the report.
has "libpangoft2-1.0.so" ldconfig -p || debian_packages+=(libpango-1.0-0 libpangoft2-1.0-0)
has "libharfbuzz-subset.so" ldconfig -p || debian_packages+=(libharfbuzz-subset0)
has "DejaVu Sans" fc-list || debian_packages+=(fonts-dejavu-core)
# The Chinese edition of the report embeds Noto CJK (without it Chinese renders as empty boxes).
has "Noto Sans CJK" fc-list || debian_packages+=(fonts-noto-cjk)
if [ "$purpose" = "test" ]; then
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || debian_packages+=(postgresql)
  # The page tests drive Debian's Chromium through Playwright (no browser download).
  [ -x /usr/bin/chromium ] || debian_packages+=(chromium)
  # bench/api.py drives the server with wrk (one thread per connection, a Lua script).
  command -v wrk >/dev/null || debian_packages+=(wrk)
  # The Spark engine's test runs a real Spark in local mode (esgledger[spark]): Java 17+.
  command -v java >/dev/null || debian_packages+=(openjdk-17-jre-headless)
fi
if [ "${#debian_packages[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${debian_packages[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debian_packages[@]}" >/dev/null
fi

python=""
for candidate in python3.11 python3.12 python3.13 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    python="$candidate"; break
  fi
done
[ -n "$python" ] || { echo "error: Python 3.11 or newer is needed" >&2; exit 2; }

[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>/dev/null || true
extra=""
[ "$purpose" = "test" ] && extra="[test,spark]"
.venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".${extra}" 2>&1 | grep -v -e '^WARNING: Location' -e 'is ignored' || true
.venv/bin/esg --help >/dev/null
