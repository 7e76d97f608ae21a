#!/usr/bin/env bash
# The JavaScript test layer: packs pkg/ the way it is published, installs the tarball into a
# throwaway project under tests/.tmp/, and runs `node --test` there, so `import 'jwt-wasm'`
# resolves through the package's exports map (the `node` condition) exactly as for a user.
#
#   bash tests/js/run.sh           the tests (TAP; the summary ends with "# pass N" / "# fail N")
#   JWT_WASM_TEST_FILES=./core/api.test.mjs bash tests/js/run.sh    only some files (paths below tests/js)
#
# `make test-js` builds pkg/ first. (The benchmark is tests/bench/, `make bench`.)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

[ $# -eq 0 ] || { echo "usage: bash tests/js/run.sh (the benchmark is tests/bench/run.sh)" >&2; exit 2; }

die() { echo "tests/js/run.sh: $*" >&2; exit 1; }
[ -f pkg/package.json ] || die "pkg/ is not built: run \`make pkg\` (or \`make test-js\`)"
for dep in jose jsonwebtoken esbuild miniflare hono playwright-core; do
  [ -d "tests/node_modules/$dep" ] || die "tests/node_modules/$dep is missing: run \`make setup\`"
done

mkdir -p tests/.tmp
tmp=$(mktemp -d "$root/tests/.tmp/js.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The tarball users install. The package has no dependencies, so installing it needs no network.
tarball=$(cd "$tmp" && npm pack "$root/pkg" --silent --pack-destination "$tmp" | tail -n 1)
[ -f "$tmp/$tarball" ] || die "npm pack pkg did not produce a tarball"

project=$tmp/project
mkdir -p "$project"
cat >"$project/package.json" <<'JSON'
{ "name": "jwt-wasm-js-tests-run", "private": true, "type": "module" }
JSON
# The test-only build that traps on demand (`make pkg-trap`), installed beside it as
# `jwt-wasm-trap` for the trap tests (which fail without it; `make test-js` builds both).
extra=
if [ -f pkg-trap/package.json ]; then
  extra=$(cd "$tmp" && npm pack "$root/pkg-trap" --silent --pack-destination "$tmp" | tail -n 1)
  extra=$tmp/$extra
fi
(cd "$project" && npm install --offline --no-audit --no-fund --no-package-lock --loglevel=error "$tmp/$tarball" $extra >/dev/null)
[ -f "$project/node_modules/jwt-wasm/package.json" ] || die "installing $tarball failed"

# The anchor libraries and the workerd runner (miniflare, esbuild to bundle like wrangler), from tests/node_modules (their own dependencies resolve from there,
# since Node follows the symlinks to the real paths).
for dep in jose jsonwebtoken esbuild miniflare hono playwright-core; do
  ln -s "$root/tests/node_modules/$dep" "$project/node_modules/$dep"
done

# The whole tree below tests/js (core/, edge/, session/, workerd/, shared fakes), so
# relative imports between test files keep working.
cp -R tests/js/. "$project/"

export JWT_WASM_REPO=$root
cd "$project"
# One file at a time: the memory and timing-sensitive files do not compete for the 2 cores.
files=${JWT_WASM_TEST_FILES:-$(find . -path ./node_modules -prune -o -name '*.test.mjs' -print | sort)}
# shellcheck disable=SC2086
node --test --test-reporter=tap --test-concurrency=1 $files
