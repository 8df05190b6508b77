#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the product needs, where missing.
#   runtime: Pango and fonts for weasyprint's PDFs
#   test:    also Chromium (browser tests, driven by Playwright via executable_path) and
#            poppler-utils (pdfsig verifies our signed PDFs in tests), npm (axe-core for the
#            browser tests' accessibility checks, pinned in package.json)
#   cluster: HAProxy and the PostgreSQL client tools (make start-cluster, the cluster tests)
# Without root or apt-get it stops and says exactly what to install.
set -euo pipefail
what=${1:-runtime}

missing=()
if [ "$what" = cluster ]; then
    command -v haproxy >/dev/null || missing+=(haproxy)
    command -v psql >/dev/null || missing+=(postgresql-client)
    [ ${#missing[@]} -eq 0 ] && exit 0
fi
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -e /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || missing+=(fonts-liberation)
if [ "$what" = test ]; then
    command -v chromium >/dev/null || missing+=(chromium)
    command -v pdfsig >/dev/null || missing+=(poppler-utils)
    command -v npm >/dev/null || missing+=(npm)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
