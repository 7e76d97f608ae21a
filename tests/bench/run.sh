#!/usr/bin/env bash
# `make bench`: installs the peers (tests/bench/package-lock.json, `npm ci`, skipped when
# node_modules already matches the lock), packs pkg/ the way it is published and installs the
# tarball into a throwaway project under tests/.tmp/ beside the peers (symlinked), so
# `import 'jwt-wasm'` resolves through the package's exports map as for a user; then runs
# run.mjs there. BENCH_QUICK=1 for a short smoke run that leaves the README alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
die() { echo "tests/bench/run.sh: $*" >&2; exit 1; }
[ -f pkg/package.json ] || die "pkg/ is not built: run \`make pkg\` (or \`make bench\`)"
for dep in esbuild miniflare workerd; do
  [ -d "tests/node_modules/$dep" ] || die "tests/node_modules/$dep is missing: run \`make setup\`"
done

# The peers, idempotently: the stamp is the hash of the lock that node_modules was installed from.
stamp=tests/bench/node_modules/.jwt-wasm-bench-lock
want=$(sha256sum tests/bench/package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  (cd tests/bench && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi

# EdDSA's synchronous alternative, ed25519-dalek in wasm (tests/bench/ed25519-wasm/, its own
# lock; cargo skips it when it is up to date), timed beside WebCrypto's Ed25519 (ed25519.mjs).
CARGO_TARGET_DIR=target/bench-ed25519 cargo build --release --locked --quiet --target wasm32-unknown-unknown \
  --manifest-path tests/bench/ed25519-wasm/Cargo.toml
dalek=target/bench-ed25519/wasm32-unknown-unknown/release/jwt_wasm_bench_ed25519.wasm

mkdir -p tests/.tmp
tmp=$(mktemp -d "$root/tests/.tmp/bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tarball=$(cd "$tmp" && npm pack "$root/pkg" --silent --pack-destination "$tmp" | tail -n 1)
[ -f "$tmp/$tarball" ] || die "npm pack pkg did not produce a tarball"
project=$tmp/project
mkdir -p "$project"
echo '{ "name": "jwt-wasm-bench-run", "private": true, "type": "module" }' >"$project/package.json"
(cd "$project" && npm install --offline --no-audit --no-fund --no-package-lock --loglevel=error "$tmp/$tarball" >/dev/null)
[ -f "$project/node_modules/jwt-wasm/package.json" ] || die "installing $tarball failed"
# The peers and their dependencies resolve from their real paths (Node and esbuild follow links).
for dep in $(cd tests/bench && node -p "Object.keys(require('./package.json').devDependencies).join(' ')"); do
  mkdir -p "$project/node_modules/$(dirname "$dep")"
  ln -s "$root/tests/bench/node_modules/$dep" "$project/node_modules/$dep"
done
for dep in esbuild miniflare workerd; do ln -s "$root/tests/node_modules/$dep" "$project/node_modules/$dep"; done
cp tests/bench/*.mjs tests/bench/*.js "$project/"
cp "$dalek" "$project/ed25519.wasm"

export JWT_WASM_REPO=$root
cd "$project"
node --test --test-reporter=dot pieces.test.mjs pk-pieces.test.mjs
node run.mjs
