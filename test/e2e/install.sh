#!/usr/bin/env bash
# Installs what the e2e suite needs, once, into a cache outside the repository:
# Debian's Chromium (+ espeak-ng/sox for speech fixtures), Node 24 (code-server's engine),
# code-server, and playwright-core (driving /usr/bin/chromium; no browser download).
# Idempotent: a second run with everything present takes a second.
# See ../shared/E2E-CODE-SERVER.md for why each piece is needed.
set -euo pipefail

CACHE="${MOONTALK_E2E_CACHE:-$HOME/.cache/moontalk-e2e}"
CODE_SERVER_VERSION="4.139.1"
NODE24_VERSION="24"
mkdir -p "$CACHE"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v espeak-ng >/dev/null 2>&1 || need_apt+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need_apt+=(sox)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
dpkg -s pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "[e2e-install] apt-get install ${need_apt[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Node 24 from the npm registry (package `node` ships the binary).
if [ ! -x "$CACHE/node24/node_modules/node/bin/node" ]; then
  echo "[e2e-install] node@$NODE24_VERSION" >&2
  mkdir -p "$CACHE/node24"
  (cd "$CACHE/node24" && npm init -y >/dev/null && npm install --no-audit --no-fund "node@$NODE24_VERSION" >/dev/null)
fi
NODE24_BIN="$CACHE/node24/node_modules/node/bin"
[ -x "$NODE24_BIN/node" ] || { echo "[e2e-install] node 24 binary missing" >&2; exit 1; }

if [ ! -x "$CACHE/code-server/node_modules/.bin/code-server" ]; then
  echo "[e2e-install] code-server@$CODE_SERVER_VERSION (about 10 minutes the first time)" >&2
  mkdir -p "$CACHE/code-server"
  (cd "$CACHE/code-server" && npm init -y >/dev/null && PATH="$NODE24_BIN:$PATH" npm install --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION" > "$CACHE/code-server-install.log" 2>&1) || {
    echo "[e2e-install] code-server install failed; tail of the log:" >&2
    tail -30 "$CACHE/code-server-install.log" >&2
    exit 1
  }
fi
PATH="$NODE24_BIN:$PATH" "$CACHE/code-server/node_modules/.bin/code-server" --version | head -1 >&2
echo "$CACHE"
