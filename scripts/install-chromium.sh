#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the status page's browser test, when it is missing.
# Needs root (CI runs as root); safe to run again.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-chromium.sh: run as root (or install Debian's 'chromium' package yourself)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
