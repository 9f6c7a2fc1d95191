#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the dashboard's browser test
# (test/e2e/dashboard_test.go drives it headless through chromedp).
# Honours CHROMIUM_BIN (default /usr/bin/chromium). Installs with apt-get as root.
set -euo pipefail

bin="${CHROMIUM_BIN:-/usr/bin/chromium}"
if [ -x "$bin" ]; then
	echo "ensure-chromium: $bin present ($("$bin" --version 2>/dev/null || echo 'version unknown'))"
	exit 0
fi

echo "ensure-chromium: $bin not found; installing Debian's chromium package"
if ! command -v apt-get >/dev/null 2>&1; then
	echo "ensure-chromium: apt-get is not available; install Chromium yourself and set CHROMIUM_BIN" >&2
	exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo="sudo -n"
	else
		echo "ensure-chromium: must run as root (or with passwordless sudo) to run: apt-get update && apt-get install -y chromium" >&2
		exit 1
	fi
fi
echo "+ $sudo apt-get update"
$sudo apt-get update
echo "+ $sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

if [ ! -x "$bin" ]; then
	echo "ensure-chromium: apt-get finished but $bin is still missing" >&2
	exit 1
fi
echo "ensure-chromium: installed $("$bin" --version 2>/dev/null || echo "$bin")"
