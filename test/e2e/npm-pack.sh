#!/usr/bin/env bash
# The CLI as a user installs it from the packed npm tarball, in a temp prefix, offline:
#   npm pack -> npm install -g --prefix <tmp> ./code-origin-*.tgz -> <tmp>/bin/code-origin scan examples
# The install prefers npm's cache (the registry is asked only for what the cache lacks: package metadata
# that `npm ci` does not keep); the scan then runs without a network where `unshare -rn` works, once on
# the native runtime and once on the WASM fallback. Needs dist/ (npm run build).
# Prints PASS/FAIL lines; exit code = number of failures.  Usage: bash test/e2e/npm-pack.sh
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/code-origin-npm-pack.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
FAILED=0
pass() { printf 'PASS %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s\n' "$*"; }
cd "$REPO" || exit 1
[ -f dist/cli.js ] || node esbuild.mjs

if TGZ="$(npm pack --silent --pack-destination "$TMP" 2>"$TMP/pack.log" | tail -1)" && [ -f "$TMP/$TGZ" ]; then
  pass "npm pack — $TGZ $(du -h "$TMP/$TGZ" | cut -f1)"
else
  fail "npm pack — $(tail -3 "$TMP/pack.log" | tr '\n' ' ')"; exit "$FAILED"
fi
LIST="$(tar -tzf "$TMP/$TGZ")"
missing=""
for f in package/dist/cli.js package/dist/wasm/tree-sitter-python.wasm package/models/code-origin-small/model.onnx package/models/code-origin-small/tokenizer.json; do
  grep -qx "$f" <<<"$LIST" || missing="$missing $f"
done
extra="$(grep -E '^package/(server|client|test|examples|scripts|webview|node_modules|models/train)/|\.map$|^package/dist/(server|extension|originWorker)\.js' <<<"$LIST" | head -5 | tr '\n' ' ')"
if [ -z "$missing$extra" ]; then pass "tarball contents — $(wc -l <<<"$LIST") files"; else fail "tarball contents — missing:${missing:- none}; unwanted: ${extra:-none}"; fi

# A fresh HOME and prefix: no user config (the shared cache is named). The skip flag: on linux-x64
# onnxruntime-node's postinstall would otherwise download CUDA libraries the CPU model never uses.
PREFIX="$TMP/prefix"
CACHE_DIR="$(npm config get cache 2>/dev/null)"
if HOME="$TMP/home" npm install -g --prefix "$PREFIX" --prefer-offline --cache "$CACHE_DIR" \
     --onnxruntime-node-install=skip --no-audit --no-fund "$TMP/$TGZ" >"$TMP/install.log" 2>&1 && [ -x "$PREFIX/bin/code-origin" ]; then
  pass "npm install -g from the tarball (temp prefix) — node_modules: $(ls "$PREFIX/lib/node_modules/code-origin/node_modules" | tr '\n' ' ')"
else
  fail "npm install -g from the tarball — $(grep -E 'ERR|error' "$TMP/install.log" | head -3 | tr '\n' ' ')"; exit "$FAILED"
fi

NONET=(); unshare -rn true 2>/dev/null && NONET=(unshare -rn)
for backend in auto wasm; do
  name="code-origin scan examples (${NONET[*]:-network not cut}, onnxruntime $backend)"
  if (cd "$TMP" && CODE_ORIGIN_ORT_BACKEND=$backend HOME="$TMP/home" "${NONET[@]}" "$PREFIX/bin/code-origin" scan "$REPO/examples" --format json >"$TMP/scan-$backend.json" 2>"$TMP/scan-$backend.err"); then
    # Verdicts for every file and the similarity report's pairs (examples/ has known copies).
    if summary="$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
        const judged=r.files.filter((f)=>typeof f.p_llm==="number").length, pairs=r.similarity.summary.suspicious_pairs_count;
        console.log(`${judged}/${r.files.length} files judged, ${pairs} suspicious pairs`); process.exit(judged&&pairs?0:1)' "$TMP/scan-$backend.json" 2>&1)"; then
      pass "$name — $summary"
    else
      fail "$name — $summary"
    fi
  else
    fail "$name — $(tail -3 "$TMP/scan-$backend.err" | tr '\n' ' ')"
  fi
done
exit "$FAILED"
