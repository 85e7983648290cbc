#!/usr/bin/env bash
# Makes sure the web console's end-to-end test (ConsoleIT) has a browser: Debian's chromium and chromium-driver.
# Run by Maven before the integration tests (pre-integration-test); installs them with apt-get when they are missing.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "ConsoleIT needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver):" >&2
  echo "  apt-get install chromium chromium-driver    (as root), or skip the integration tests with -DskipITs" >&2
  exit 1
fi
echo "installing chromium and chromium-driver for the web console test (apt-get, once per machine)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium chromium-driver >/dev/null
/usr/bin/chromium --version
