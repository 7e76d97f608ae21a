#!/usr/bin/env bash
# The browser end-to-end suite of jwt-wasm/session: real Chromium (playwright-core driving
# Debian's /usr/bin/chromium, headless) against the jwt-wasm/edge auth API on real workerd
# (miniflare). Packs pkg/ the way it is published and installs the tarball into a throwaway
# project under tests/.tmp/, so the page's `import 'jwt-wasm/session'` and the Worker's
# `import 'jwt-wasm/edge'` resolve through the package's exports map exactly as for a user;
# tests/e2e/session.e2e.mjs bundles both with esbuild and runs the scenarios with `node --test`.
# tests/e2e/rfc8725.e2e.mjs then runs the RFC 8725 checklist (tests/vectors/rfc8725.json) in a
# plain module page of the same Chromium.
#
#   bash tests/e2e/run.sh     (`make test-e2e` builds pkg/ first)
#
# Bounded: every scenario has its own timeout, the whole file one of 150 s; the browser and
# workerd are closed by the test file, and the throwaway project is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

die() { echo "tests/e2e/run.sh: $*" >&2; exit 1; }
[ -f pkg/package.json ] || die "pkg/ is not built: run \`make pkg\` (or \`make test-e2e\`)"
for dep in esbuild miniflare playwright-core; do
  [ -d "tests/node_modules/$dep" ] || die "tests/node_modules/$dep is missing: run \`make setup\`"
done
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || die "no Chromium at ${CHROMIUM:-/usr/bin/chromium}: run \`make setup\` (Debian's chromium package)"

mkdir -p tests/.tmp
tmp=$(mktemp -d "$root/tests/.tmp/e2e.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The tarball users install. The package has no dependencies, so installing it needs no network.
tarball=$(cd "$tmp" && npm pack "$root/pkg" --silent --pack-destination "$tmp" | tail -n 1)
[ -f "$tmp/$tarball" ] || die "npm pack pkg did not produce a tarball"

project=$tmp/project
mkdir -p "$project"
cat >"$project/package.json" <<'JSON'
{ "name": "jwt-wasm-e2e-run", "private": true, "type": "module" }
JSON
(cd "$project" && npm install --offline --no-audit --no-fund --no-package-lock --loglevel=error "$tmp/$tarball" >/dev/null)
[ -f "$project/node_modules/jwt-wasm/package.json" ] || die "installing $tarball failed"
[ -f "$project/node_modules/jwt-wasm/session/index.js" ] || die "the packed jwt-wasm has no session/index.js (is jwt-wasm/session built into pkg/?)"

for dep in esbuild miniflare playwright-core; do
  ln -s "$root/tests/node_modules/$dep" "$project/node_modules/$dep"
done

cp -R tests/e2e/worker.js tests/e2e/harness.mjs tests/e2e/session.e2e.mjs tests/e2e/page tests/e2e/chromium.mjs "$project/"
# The RFC 8725 checklist in Chromium: its page, driver and the runner shared with Node and workerd.
cp -R tests/e2e/rfc8725.e2e.mjs tests/e2e/rfc8725-page "$project/"
mkdir -p "$project/support" && cp tests/js/support/rfc8725-run.mjs tests/js/support/rfc8725-check.mjs "$project/support/"
# jwt-wasm/jwe in Chromium (issue 11): its driver serves its own page; jose from tests/node_modules.
cp tests/e2e/jwe.e2e.mjs "$project/" && ln -s "$root/tests/node_modules/jose" "$project/node_modules/jose"
# Its shared cases and runner (the same files run in Node and on workerd, tests/js/support/).
cp tests/js/support/jwe-paths-cases.mjs tests/js/support/jwe-paths-run.mjs "$project/support/"
# jwt-wasm/keys in Chromium (issue 13): its driver serves its own page too.
cp tests/e2e/keys.e2e.mjs "$project/"

export JWT_WASM_REPO=$root
cd "$project"
# JWT_WASM_E2E_FILES="./rfc8725.e2e.mjs" bash tests/e2e/run.sh runs only some files.
# shellcheck disable=SC2086
node --test --test-reporter=tap --test-concurrency=1 --test-timeout=150000 ${JWT_WASM_E2E_FILES:-./session.e2e.mjs ./rfc8725.e2e.mjs ./jwe.e2e.mjs ./keys.e2e.mjs}
