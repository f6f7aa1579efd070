#!/usr/bin/env bash
# End-to-end test of the packaged extension in a real VS Code (code-server 4.100.3 = VS Code 1.100.3)
# driven by headless Chromium through playwright-core. Offline: see shared/recipes/vscode-e2e.md.
#
#   npm run test:e2e                  (packages every target into dist-vsix/, then runs this on linux-x64)
#   bash test/e2e/run.sh [file.vsix]  (uses an existing .vsix)
#
# Steps: setup.sh (cached install of code-server + chromium) -> install the .vsix into a fresh
# extensions dir -> check its contents and that onnxruntime-node loads from it -> start code-server
# on a free loopback port with a fresh user-data-dir -> extension.e2e.mjs opens examples/ and checks
# activation, hover and the summary command, origin (diagnostics, IG hover, Explain Origin highlights),
# workspace similarity (diagnostics with related locations, tree view, Compare Folders…) and the
# similarity panel (matrix cell -> pair view), with expectations from the installed extension's CLI.
# Screenshots and logs: test/e2e/artifacts/.
# Prints PASS/FAIL lines and, last, "N passed, M failed"; exits non-zero on any failure.
# code-server's process group and Chromium are always killed at the end.
#
# Env: CODE_ORIGIN_E2E_CACHE (install cache), CODE_ORIGIN_E2E_KEEP=1 (keep the temp dir).
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VSIX="$(readlink -f "${1:-$REPO/dist-vsix/code-origin-linux-x64.vsix}" 2>/dev/null || echo "${1:-$REPO/dist-vsix/code-origin-linux-x64.vsix}")"
WORKSPACE="$REPO/examples"
ARTIFACTS="$REPO/test/e2e/artifacts"
CACHE="${CODE_ORIGIN_E2E_CACHE:-$HOME/.cache/code-origin-e2e}"
RUN_ID="code-origin-e2e-$$-$(date +%s%N)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/code-origin-e2e.XXXXXX")"
CS_PID=""
PASSED=0
FAILED=0
T0=$(date +%s)

note() { printf '[e2e] %s\n' "$*"; }
pass() { PASSED=$((PASSED + 1)); printf 'PASS %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s\n' "$*"; }

# Kill everything this run started: code-server's whole process group (its file watcher and
# extension host outlive a plain kill), then any process that still carries this run's marker
# in its environment (Chromium and its helpers, stray code-server children). By pid only.
kill_marked() {
  local sig=$1 pid
  for pid in $(grep -lsz "^CODE_ORIGIN_E2E_RUN=$RUN_ID\$" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
    [ "$pid" != "$$" ] && kill "-$sig" "$pid" 2>/dev/null
  done
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$CS_PID" ]; then
    kill -TERM -- "-$CS_PID" 2>/dev/null
    for _ in $(seq 1 20); do kill -0 -- "-$CS_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$CS_PID" 2>/dev/null
  fi
  kill_marked TERM; sleep 0.5; kill_marked KILL
  # Keep the interesting logs with the screenshots.
  if [ -d "$WORK/ud/logs" ]; then
    mkdir -p "$ARTIFACTS/logs"
    cp -r "$WORK/ud/logs/." "$ARTIFACTS/logs/" 2>/dev/null
  fi
  [ -f "$WORK/code-server.log" ] && cp "$WORK/code-server.log" "$ARTIFACTS/code-server.log"
  if [ "$FAILED" -gt 0 ] || [ "$PASSED" -eq 0 ]; then
    [ "$PASSED" -eq 0 ] && [ "$FAILED" -eq 0 ] && fail "e2e: no check ran (exit $rc)"
    note "--- diagnostics ---"
    note "load average now: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) on $(nproc 2>/dev/null) cores"
    [ -f "$WORK/code-server.log" ] && { note "code-server.log (tail):"; tail -n 25 "$WORK/code-server.log"; }
    while IFS= read -r f; do note "$f (tail):"; tail -n 25 "$f"; done < <(
      find "$WORK/ud/logs" -type f \( -name 'exthost*.log' -o -name 'remoteexthost*.log' -o -name '*Code Origin*.log' \) 2>/dev/null | sort)
    note "all logs: $ARTIFACTS/logs, screenshots: $ARTIFACTS"
  fi
  if [ "${CODE_ORIGIN_E2E_KEEP:-0}" = 1 ]; then note "kept $WORK"; else rm -rf "$WORK"; fi
  note "took $(( $(date +%s) - T0 ))s"
  echo "$PASSED passed, $FAILED failed"
  if [ "$FAILED" -gt 0 ] || [ "$PASSED" -eq 0 ]; then exit 1; fi
  exit 0
}
trap cleanup EXIT
trap 'fail "e2e: interrupted"; exit 130' INT TERM

# Bounded wait-for-process helper: timeout SECONDS cmd...
bounded() { local s=$1; shift; timeout --kill-after=10 "$s" "$@"; }

rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
note "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) on $(nproc 2>/dev/null) cores"

# ---- 1. setup (cached)
if ! bounded 1800 bash "$REPO/test/e2e/setup.sh"; then fail "e2e setup (test/e2e/setup.sh)"; exit 1; fi
# shellcheck disable=SC1091
. "$CACHE/env.sh"
ENTRY="$CS_DIR/out/node/entry.js"

if [ ! -f "$VSIX" ]; then fail "packaged extension: $VSIX not found (run: npm run package)"; exit 1; fi
if [ ! -f "$WORKSPACE/python/inventory.py" ]; then fail "workspace: $WORKSPACE/python/inventory.py not found"; exit 1; fi

# ---- 2. fresh code-server profile on a free loopback port
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
UD="$WORK/ud"; EXT="$WORK/extensions"
mkdir -p "$UD/User" "$EXT"
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$WORK/config.yaml"
cat > "$UD/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "editor.hover.delay": 300,
  "editor.minimap.enabled": false,
  "git.enabled": false,
  // The origin examples are Python, where the shipped model gives no verdict by default (its LOSO verdicts
  // are no evidence there): these checks are of the editor's plumbing, so verdicts are turned on.
  "codeOrigin.origin.unevaluatedLanguages": true
}
EOF
CS_ARGS=(--config "$WORK/config.yaml" --user-data-dir "$UD" --extensions-dir "$EXT")

# ---- 3. install the packaged .vsix
note "installing $(basename "$VSIX") ($(du -h "$VSIX" | cut -f1)) into a fresh extensions dir"
if bounded 120 node "$ENTRY" "${CS_ARGS[@]}" --install-extension "$VSIX" > "$WORK/install.log" 2>&1; then
  INSTALLED="$(find "$EXT" -mindepth 1 -maxdepth 1 -type d -name 'code-origin.code-origin-*' | head -1)"
fi
if [ -n "${INSTALLED:-}" ]; then
  pass "install packaged .vsix into code-server — $(basename "$INSTALLED")"
else
  fail "install packaged .vsix into code-server — $(tr '\n' ' ' < "$WORK/install.log" | cut -c1-400)"
  exit 1
fi

# ---- 4. package contents + onnxruntime-node from the installed copy
out="$(bounded 120 node "$REPO/test/e2e/check-vsix.mjs" "$INSTALLED" "$VSIX" "$REPO" 2>&1)"
printf '%s\n' "$out" | grep -vE '^(PASS|FAIL) '
PASSED=$((PASSED + $(printf '%s\n' "$out" | grep -c '^PASS ')))
FAILED=$((FAILED + $(printf '%s\n' "$out" | grep -c '^FAIL ')))
printf '%s\n' "$out" | grep -E '^(PASS|FAIL) '
printf '%s\n' "$out" > "$ARTIFACTS/vsix-contents.txt"

# ---- 4b. every target's package (dist-vsix/code-origin-<target>.vsix): contents and native binary path
out="$(bounded 300 node "$REPO/test/e2e/check-vsix.mjs" --packages "$(dirname "$VSIX")" "$REPO" 2>&1)"
PASSED=$((PASSED + $(printf '%s\n' "$out" | grep -c '^PASS ')))
FAILED=$((FAILED + $(printf '%s\n' "$out" | grep -c '^FAIL ')))
printf '%s\n' "$out" | grep -E '^(PASS|FAIL) '
printf '%s\n' "$out" >> "$ARTIFACTS/vsix-contents.txt"

# ---- 4c. the CLI from the packed npm tarball, installed into a temp prefix (test/e2e/npm-pack.sh)
out="$(bounded 600 bash "$REPO/test/e2e/npm-pack.sh" 2>&1)"
PASSED=$((PASSED + $(printf '%s\n' "$out" | grep -c '^PASS ')))
FAILED=$((FAILED + $(printf '%s\n' "$out" | grep -c '^FAIL ')))
printf '%s\n' "$out" | grep -E '^(PASS|FAIL) '
printf '%s\n' "$out" > "$ARTIFACTS/npm-pack.txt"

# ---- 5. start code-server in its own process group, marked for cleanup
export CODE_ORIGIN_E2E_RUN="$RUN_ID"
setsid node "$ENTRY" "${CS_ARGS[@]}" --disable-telemetry --disable-update-check --disable-workspace-trust "$WORKSPACE" > "$WORK/code-server.log" 2>&1 < /dev/null &
CS_PID=$!
note "code-server pid $CS_PID on http://127.0.0.1:$PORT (log: $ARTIFACTS/code-server.log)"

# ---- 6. the browser checks
RESULTS="$WORK/results"
CS_URL="http://127.0.0.1:$PORT" WORKSPACE="$WORKSPACE" ARTIFACTS="$ARTIFACTS" CHROMIUM="$CHROMIUM" \
  PLAYWRIGHT_CORE="$PLAYWRIGHT_CORE" RUN_ID="$RUN_ID" RESULTS_FILE="$RESULTS" EXTENSION_DIR="$INSTALLED" \
  bounded 900 node "$REPO/test/e2e/extension.e2e.mjs"
rc=$?
if [ -s "$RESULTS" ]; then
  read -r p f < "$RESULTS"
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
else
  fail "e2e driver exited with $rc before reporting (timeout or crash)"
fi
exit 0
