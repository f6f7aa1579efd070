#!/usr/bin/env bash
# Installs what the end-to-end test needs, idempotently, into a cache outside the repository:
#   - code-server 4.100.3 (VS Code 1.100.3) from the npm registry, native modules built from source
#     (recipe: shared/recipes/vscode-e2e.md; no GitHub downloads, nothing from update.code.visualstudio.com)
#   - Debian's chromium (driven by the repository's own playwright-core devDependency)
#
# Cache: ${CODE_ORIGIN_E2E_CACHE:-$HOME/.cache/code-origin-e2e}
#   code-server-<version>/          the installed code-server ("package" folder of the npm tarball)
#   code-server-<version>/.complete marker, written last; holds the Node ABI it was built for
#   env.sh                          CS_DIR=..., CHROMIUM=..., PLAYWRIGHT_CORE=... for run.sh
# A second run with the marker present only checks it and takes a second or two.
#
# System packages: when run as root on Debian/Ubuntu it apt-get installs what is missing;
# otherwise it stops and prints the exact command to run.
#
# Usage: bash test/e2e/setup.sh        (CODE_ORIGIN_E2E_FORCE=1 to rebuild code-server)
set -euo pipefail

CS_VERSION=4.100.3
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${CODE_ORIGIN_E2E_CACHE:-$HOME/.cache/code-origin-e2e}"
CS_DIR="$CACHE/code-server-$CS_VERSION"
MARKER="$CS_DIR/.complete"
NODE_ABI="$(node -p 'process.versions.modules + "-" + process.arch')"

log() { printf '[e2e-setup] %s\n' "$*"; }
die() { printf '[e2e-setup] ERROR: %s\n' "$*" >&2; exit 1; }

start=$(date +%s)
mkdir -p "$CACHE"

# One setup at a time per cache (parallel CI jobs, or run.sh started twice).
exec 9>"$CACHE/.setup.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 1800 9 || die "timed out waiting for another setup.sh holding $CACHE/.setup.lock"
fi

# ---------------------------------------------------------------- system packages
APT_PKGS=(build-essential python3 pkg-config libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev ripgrep chromium)
missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${APT_PKGS[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
else
  # Not Debian: check the commands/headers we actually use.
  for c in make g++ python3 pkg-config rg; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
  [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" </dev/null
  else
    cat >&2 <<EOF
[e2e-setup] ERROR: missing system packages: ${missing[*]}
[e2e-setup] On Debian/Ubuntu run, as root:
    sudo apt-get update && sudo apt-get install -y ${APT_PKGS[*]}
[e2e-setup] (on another distribution install the equivalents: a C/C++ toolchain, python3, pkg-config,
[e2e-setup]  Kerberos, libxkbfile, libsecret and X11 headers, ripgrep, and Chromium), then run this again.
EOF
    exit 1
  fi
fi

CHROMIUM="${CHROMIUM:-}"
if [ -z "$CHROMIUM" ]; then
  for c in /usr/bin/chromium /usr/bin/chromium-browser; do [ -x "$c" ] && { CHROMIUM=$c; break; }; done
fi
[ -n "$CHROMIUM" ] && [ -x "$CHROMIUM" ] || die "no chromium executable (set CHROMIUM=/path/to/chromium)"
RG="$(command -v rg)" || die "ripgrep (rg) not found"

# ---------------------------------------------------------------- playwright-core
PLAYWRIGHT_CORE=""
if [ -f "$REPO_ROOT/node_modules/playwright-core/package.json" ]; then
  PLAYWRIGHT_CORE="$REPO_ROOT/node_modules/playwright-core"
else
  # Fallback (repo installed without devDependencies): a private copy in the cache.
  PW_VERSION="$(node -p "(require('$REPO_ROOT/package.json').devDependencies||{})['playwright-core']||'1.65.1'" | tr -d '^~')"
  if [ ! -f "$CACHE/playwright/node_modules/playwright-core/package.json" ]; then
    log "installing playwright-core@$PW_VERSION into $CACHE/playwright"
    mkdir -p "$CACHE/playwright"
    (cd "$CACHE/playwright" && npm install --no-save --no-package-lock --ignore-scripts "playwright-core@$PW_VERSION" >/dev/null)
  fi
  PLAYWRIGHT_CORE="$CACHE/playwright/node_modules/playwright-core"
fi

# ---------------------------------------------------------------- code-server
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$NODE_ABI" ] && [ "${CODE_ORIGIN_E2E_FORCE:-0}" != 1 ]; then
  log "code-server $CS_VERSION already installed in $CS_DIR"
else
  log "installing code-server $CS_VERSION into $CS_DIR (several minutes on 2 cores)"
  NG=""
  for cand in \
    "$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js" \
    /usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js \
    /usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js; do
    if [ -n "$cand" ] && [ -f "$cand" ]; then NG="$(readlink -f "$cand")"; break; fi
  done
  [ -n "$NG" ] || die "node-gyp (bundled with npm) not found"
  # Node headers: use the installed ones instead of downloading them.
  NODEDIR="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  [ -f "$NODEDIR/include/node/node.h" ] || die "Node headers not found at $NODEDIR/include/node (install nodejs headers, e.g. Debian's libnode-dev or the official Node tarball)"

  TMP="$CS_DIR.tmp.$$"
  rm -rf "$TMP" "$CS_DIR"
  mkdir -p "$TMP"
  trap 'rm -rf "$TMP"' EXIT
  export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
  (cd "$TMP" && npm pack "code-server@$CS_VERSION" --silent >/dev/null && tar xzf "code-server-$CS_VERSION.tgz" && rm "code-server-$CS_VERSION.tgz")
  CS="$TMP/package"
  log "npm install (code-server, lib/vscode, lib/vscode/extensions), scripts skipped"
  (cd "$CS" && npm install --omit=dev --ignore-scripts --no-audit --loglevel=error >/dev/null)
  (cd "$CS/lib/vscode" && npm install --omit=dev --ignore-scripts --no-audit --loglevel=error >/dev/null)
  (cd "$CS/lib/vscode/extensions" && npm install --omit=dev --ignore-scripts --no-audit --loglevel=error >/dev/null)
  log "building native modules from source (argon2, kerberos, spdlog, native-watchdog, node-pty, deviceid)"
  (cd "$CS/node_modules/argon2" && npm_config_node_gyp="$NG" node ../@mapbox/node-pre-gyp/bin/node-pre-gyp rebuild --build-from-source --nodedir="$NODEDIR" >/dev/null 2>"$TMP/gyp-argon2.log") \
    || { cat "$TMP/gyp-argon2.log" >&2; die "native build of argon2 failed"; }
  for m in kerberos @vscode/spdlog native-watchdog node-pty @vscode/deviceid; do
    (cd "$CS/lib/vscode/node_modules/$m" && node "$NG" rebuild -j "$(nproc 2>/dev/null || echo 2)" --nodedir="$NODEDIR" >/dev/null 2>"$TMP/gyp-$(basename "$m").log") \
      || { cat "$TMP/gyp-$(basename "$m").log" >&2; die "native build of $m failed"; }
  done
  mkdir -p "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin"
  ln -sf "$RG" "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
  (cd "$CS/lib/vscode" && ln -sfn node_modules node_modules.asar)
  (cd "$CS/lib/vscode/bin/remote-cli" && ln -sf code-linux.sh code-server)
  (cd "$CS/lib/vscode/bin/helpers" && ln -sf browser-linux.sh browser.sh)

  # Smoke: it must start far enough to print its version (always pass --config, see recipe).
  printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' > "$TMP/config.yaml"
  ver="$(node "$CS/out/node/entry.js" --config "$TMP/config.yaml" --version 2>/dev/null | head -1)"
  case "$ver" in "$CS_VERSION"*) ;; *) die "code-server smoke check failed (got: '$ver')";; esac
  rm -f "$TMP/config.yaml" "$TMP"/gyp-*.log

  mv "$CS" "$CS_DIR"
  rm -rf "$TMP"
  trap - EXIT
  echo "$NODE_ABI" > "$MARKER"
  log "code-server $ver installed"
fi

cat > "$CACHE/env.sh" <<EOF
CS_DIR='$CS_DIR'
CHROMIUM='$CHROMIUM'
PLAYWRIGHT_CORE='$PLAYWRIGHT_CORE'
EOF
log "ready in $(( $(date +%s) - start ))s (cache: $CACHE)"
