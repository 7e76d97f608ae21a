#!/usr/bin/env bash
# `make test-install`: every way users install jwt-wasm, from the packed tarball. Installs the
# tools users install it with (tests/install/package-lock.json: Vite 8, 6 and 5, wrangler,
# @hono/node-server, hono, TypeScript; `npm ci`, skipped when node_modules already matches the
# lock), packs pkg/ the way it is published and installs the tarball into a throwaway project
# under tests/.tmp/ beside them (symlinked), copies the fixtures (tests/install/fixtures/, which
# the README includes: tests/install/readme.mjs) and runs the *.test.mjs files there.
#
#   bash tests/install/run.sh                                        (`make test-install` builds pkg/ first)
#   JWT_WASM_INSTALL_FILES=./node.test.mjs bash tests/install/run.sh    only some files
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
die() { echo "tests/install/run.sh: $*" >&2; exit 1; }
[ -f pkg/package.json ] || die "pkg/ is not built: run \`make pkg\` (or \`make test-install\`)"
[ -d tests/node_modules/playwright-core ] || die "tests/node_modules/playwright-core is missing: run \`make setup\`"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || die "no Chromium at ${CHROMIUM:-/usr/bin/chromium}: run \`make setup\`"

# The tools, idempotently: the stamp is the hash of the lock that node_modules was installed from.
stamp=tests/install/node_modules/.jwt-wasm-install-lock
want=$(sha256sum tests/install/package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  (cd tests/install && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi

mkdir -p tests/.tmp
tmp=$(mktemp -d "$root/tests/.tmp/install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tarball=$(cd "$tmp" && npm pack "$root/pkg" --silent --pack-destination "$tmp" | tail -n 1)
[ -f "$tmp/$tarball" ] || die "npm pack pkg did not produce a tarball"
project=$tmp/project
mkdir -p "$project"
echo '{ "name": "jwt-wasm-install-run", "private": true, "type": "module" }' >"$project/package.json"
(cd "$project" && npm install --offline --no-audit --no-fund --no-package-lock --loglevel=error "$tmp/$tarball" >/dev/null)
[ -f "$project/node_modules/jwt-wasm/package.json" ] || die "installing $tarball failed"
# The tools and their dependencies resolve from their real paths (Node, Vite and wrangler follow links).
for dep in $(cd tests/install && node -p "Object.keys(require('./package.json').devDependencies).join(' ')") miniflare; do
  mkdir -p "$project/node_modules/$(dirname "$dep")"
  ln -s "$root/tests/install/node_modules/$dep" "$project/node_modules/$dep"
done
ln -s "$root/tests/node_modules/playwright-core" "$project/node_modules/playwright-core"
cp -R tests/install/fixtures "$project/fixtures"
cp tests/install/*.test.mjs tests/install/support.mjs tests/e2e/chromium.mjs "$project/"

export JWT_WASM_REPO=$root
cd "$project"
# shellcheck disable=SC2086
node --test --test-reporter=spec --test-concurrency=1 --test-timeout=300000 ${JWT_WASM_INSTALL_FILES:-$(ls ./*.test.mjs)}
