# jwt-wasm: every entry point. `make test` and `make demo` set up a fresh machine by themselves.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
NODE_BIN := tests/node_modules/.bin
# The build's tools, an npm project of their own (.ci/tools: binaryen, pinned), so that `make pkg`
# and `make demo` never need tests/'s toolchain.
WASM_OPT := .ci/tools/node_modules/.bin/wasm-opt
WASM := target/wasm32-unknown-unknown/release/jwt_wasm.wasm
COMMA := ,

.PHONY: demo-check www-deps setup pkg pkg-trap test test-rust test-wasm test-js test-e2e test-install checklist typecheck size bench load fuzz fuzz-setup fuzz-cmin demo clean lint fmt

setup:
	@bash .ci/setup

# The npm package in pkg/: one no_std wasm per job (sha2 compact backend, trapping panics), each
# processed by wasm-bindgen and wasm-opt -Oz, then the JS layer and the manifest. wasm-bindgen's
# JS glue and declarations are dropped: src/js/wasm.js instantiates each module itself (so that
# it can make a fresh instance after a trap) and calls its numbers-only exports.
# The artifacts (Cargo features of the one core; src/ARCHITECTURE.md): pkg/wasm/jwt_wasm_claims.wasm
# (decode, inspect: jwt-wasm/claims, jwt-wasm/session), jwt_wasm_hmac.wasm (also verify and
# sign: jwt-wasm, edge, hono, in browsers) and jwt_wasm_hmac_native.wasm (the same and the two
# ops of a verify MACed natively, built for WebAssembly SIMD: jwt-wasm's Node and workerd
# entries), jwt_wasm_jwe.wasm (hmac and the jwe ops: jwt-wasm/jwe in browsers) and jwt_wasm_jwe_simd.wasm
# (the same built for WebAssembly SIMD: jwt-wasm/jwe's Node and workerd entries) and jwt_wasm_keys.wasm (claims and the public-key ops: JWK/JWKS, the verify whose
# signature the runtime checks; no SHA-2, no HMAC: jwt-wasm/keys in browsers) and jwt_wasm_keys_fast.wasm
# (the same with the second half of a verify by ticket, built for WebAssembly SIMD and speed: its Node and workerd entries). A new capability is one more line in `package`, an Engine in src/js/wasm.js and its
# entry-<name>-*.js, and a budget in tests/size.mjs.
# $(call artifact,DIR,NAME,FEATURES[,KIND]) builds DIR/wasm/jwt_wasm_NAME.wasm. KIND is empty (for
# size: opt-level s, wasm-opt -Oz), `simd` (for WebAssembly SIMD: sha2's simd128 SHA-256 backend
# and LLVM's vectorising), `o3` (for speed rather than size: rustc opt-level 3, wasm-opt -O3) or
# `simd-o3` (both). Each kind builds in target/KIND, a target dir of its own, so the kinds never
# invalidate each other. A speed build is only for an artifact no browser entry loads (no size
# budget): jwt_wasm_jwe_simd.wasm and jwt_wasm_keys_fast.wasm, about 10-15% faster wasm on
# workerd, measured interleaved (issues 11 and 13).
SIMD_RUSTFLAGS := --cfg sha2_backend_soft="compact" -C target-feature=+simd128
define artifact
	$(if $(4),CARGO_TARGET_DIR=target/$(4)) $(if $(findstring simd,$(4)),RUSTFLAGS='$(SIMD_RUSTFLAGS)') $(if $(findstring o3,$(4)),CARGO_PROFILE_RELEASE_OPT_LEVEL=3) cargo build --release --locked --target wasm32-unknown-unknown --no-default-features --features $(3)
	wasm-bindgen --target web --no-typescript --out-dir $(1)/wasm --out-name jwt_wasm $(if $(4),$(subst target/,target/$(4)/,$(WASM)),$(WASM))
	rm $(1)/wasm/jwt_wasm.js
	$(WASM_OPT) $(if $(findstring o3,$(4)),-O3,-Oz --converge) $(if $(findstring simd,$(4)),--enable-simd) --strip-producers --strip-target-features --zero-filled-memory $(1)/wasm/jwt_wasm_bg.wasm -o $(1)/wasm/jwt_wasm_$(2).wasm
	rm $(1)/wasm/jwt_wasm_bg.wasm
endef

# $(call package,DIR,EXTRA_FEATURES) builds one such package into DIR (EXTRA_FEATURES: ",x,y").
define package
	rm -rf $(1) && mkdir -p $(1)/wasm
	$(call artifact,$(1),claims,claims$(2))
	$(call artifact,$(1),hmac,hmac$(2))
	$(call artifact,$(1),hmac_native,native-mac$(2),simd)
	$(call artifact,$(1),jwe,jwe$(2))
	$(call artifact,$(1),jwe_simd,jwe-ticket$(2),simd-o3)
	$(call artifact,$(1),keys,keys$(2))
	$(call artifact,$(1),keys_fast,keys-tickets$(2),simd-o3)
	cp -R src/js/. $(1)/
	cp pkg.json $(1)/package.json
	cp README.md LICENSE-MIT LICENSE-APACHE $(1)/
endef

pkg: setup
	$(call package,pkg,)

# Test-only: the same package built with the `test-trap` feature (src/trap.rs: two marker tokens
# make the engine trap), named `jwt-wasm-trap` (its imports of itself renamed too) so the JS tests
# install it beside jwt-wasm and prove that a trap is survived (tests/js/*/trap*.test.mjs).
pkg-trap: setup
	$(call package,pkg-trap,$(COMMA)test-trap)
	sed -i "s/\"name\": \"jwt-wasm\"/\"name\": \"jwt-wasm-trap\"/" pkg-trap/package.json
	find pkg-trap -name '*.js' -exec sed -i "s/from 'jwt-wasm\(['/]\)/from 'jwt-wasm-trap\1/" {} +

# Formatting (rustfmt; Biome for the JS of src/js, tests and www, biome.jsonc) and the linters.
lint: setup
	cargo fmt --check
	$(NODE_BIN)/biome check --error-on-warnings --max-diagnostics=100
	cargo clippy --locked --all-targets -- -D warnings
	cargo clippy --locked --no-default-features --features std,claims --all-targets -- -D warnings
	for f in claims hmac native-mac jwe jwe-ticket keys keys-tickets claims,test-trap hmac,test-trap native-mac,test-trap jwe,test-trap jwe-ticket,test-trap keys,test-trap keys-tickets,test-trap; do \
	  cargo clippy --locked --target wasm32-unknown-unknown --no-default-features --features $$f --lib -- -D warnings || exit 1; done
	# The SIMD builds of the jwe and keys artifacts as `package` builds them (the SIMD code is compiled only there).
	CARGO_TARGET_DIR=target/simd-o3 RUSTFLAGS='$(SIMD_RUSTFLAGS)' cargo clippy --locked --target wasm32-unknown-unknown --no-default-features --features jwe-ticket --lib -- -D warnings
	CARGO_TARGET_DIR=target/simd-o3 RUSTFLAGS='$(SIMD_RUSTFLAGS)' cargo clippy --locked --target wasm32-unknown-unknown --no-default-features --features keys-tickets --lib -- -D warnings
	RUSTDOCFLAGS=-Dwarnings cargo doc --locked --no-deps --quiet
	python3 tests/vectors/generate.py --check
	python3 tests/vectors/rfc8725.py --check
	cargo run --locked --quiet --example protocol -- --check
	node tests/install/readme.mjs --check

# Writes the formatting that `make lint` checks.
fmt: setup
	cargo fmt
	$(NODE_BIN)/biome format --write
	node tests/install/readme.mjs

# The JSDoc types of every file of src/js (with the generated glue of pkg/wasm), then the
# hand-written .d.ts from a consumer's side (tests/types/*.ts).
typecheck: pkg
	$(NODE_BIN)/tsc -p tests/types/tsconfig.src.json
	$(NODE_BIN)/tsc -p tests/types/tsconfig.json

# std with every feature, then each artifact's feature set alone (its unit tests and the
# integration tests that need only it: the hmac-only files say `#![cfg(feature = "hmac")]`).
# The SIMD code of the Node and workerd artifact (base64url, src/b64/simd.rs; the dot search,
# src/dot.rs; the JSON string scan, src/json/scan.rs) exists only in a wasm32 build with
# +simd128: their unit tests (the ones written for `wasm_bindgen_test`) built so and run in Node
# by wasm-bindgen-cli's test runner.
test-rust: setup
	cargo test --locked --all-features
	cargo test --locked --no-default-features --features std,claims --lib --tests
	CARGO_TARGET_DIR=target/simd-test RUSTFLAGS='-C target-feature=+simd128' CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --locked --target wasm32-unknown-unknown --no-default-features --features std,jwe-ticket --lib

# Browser (Chromium, page and dedicated worker) tests of the boundary, the workflow users run.
test-wasm: setup
	wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver --mode no-install -- --locked

test-js: pkg pkg-trap
	bash tests/js/run.sh

# jwt-wasm/session end to end: headless Chromium (playwright-core, Debian's /usr/bin/chromium)
# against the jwt-wasm/edge auth API on workerd, several tabs of one origin (about 1 minute).
test-e2e: pkg
	bash tests/e2e/run.sh

# Every way users install the package, from the packed tarball (tests/install/: its own npm
# project of pinned tools, installed once per lock): Node by name (import and require), a Worker
# bundled by wrangler and run on its workerd, an SPA built by Vite 8, 6 and 5 and a page with an
# import map in Chromium, Hono on @hono/node-server, tsc --strict. The README's examples are its
# fixtures (tests/install/readme.mjs, checked by `lint`). About 35 s once installed.
test-install: pkg
	bash tests/install/run.sh

# The RFC 8725 verifier checklist (tests/vectors/rfc8725.json) alone, in all four runtimes:
# natively, in Node, on workerd, in Chromium. `make test` runs the same files in its layers.
checklist: pkg
	cargo test --locked --test rfc8725
	JWT_WASM_TEST_FILES="./core/rfc8725.test.mjs ./workerd/rfc8725.test.mjs" bash tests/js/run.sh
	JWT_WASM_E2E_FILES="./rfc8725.e2e.mjs" bash tests/e2e/run.sh

size: pkg
	node tests/size.mjs

# The benchmark (tests/bench/, its peers pinned in tests/bench/package-lock.json): every peer side
# by side in Node and workerd, sizes, cold start, memory; writes the README's performance section.
# Under 10 minutes; BENCH_QUICK=1 for a smoke run that leaves the README alone.
bench: pkg
	bash tests/bench/run.sh

# The edge guard under load on real workerd (127.0.0.1 only, bounded): 20,000 mixed requests to
# the jwt-wasm guard and to the same guard on jose; 0 wrong decisions, 0 5xx, memory flat. Then
# 12,000 abusive requests to authRoutes on Durable Objects (issue 9 items 3, 4; item 1's place):
# 0 wrong decisions, 0 5xx, no Durable Object started, every victim family still refreshing.
load: pkg
	node tests/load/run.mjs

# Coverage-guided fuzzing (tests/fuzz/: cargo-fuzz and libFuzzer on stable Rust, .ci/fuzz): every target
# for FUZZ_SECONDS (60) each, one process at a time, growing tests/fuzz/corpus/; FUZZ_SANITIZER=address
# for ASan (about 4x slower), FUZZ_TARGETS to pick some. `make test` only replays the corpus
# (tests/fuzz_replay.rs) and never installs cargo-fuzz: fuzz-setup does, pinned.
fuzz-setup:
	@bash .ci/setup-fuzz

fuzz: fuzz-setup
	bash .ci/fuzz

# Minimises tests/fuzz/corpus/ (cargo fuzz cmin) before it is committed.
fuzz-cmin: fuzz-setup
	bash .ci/fuzz cmin

test: lint test-rust test-wasm typecheck test-js test-e2e test-install size demo-check
	@echo "make test: every layer passed"

# The demo (www/, a wrangler project): the page and the demo Worker (auth API, guarded APIs, D1,
# a Durable Object) under `wrangler dev` on http://127.0.0.1:8787 (PORT to change), offline.
# It needs only what `make pkg` needs (Rust's wasm target, wasm-bindgen, the build's tools in
# .ci/tools for wasm-opt) and www's own npm deps (wrangler, esbuild: www/package-lock.json):
# JWT_WASM_SETUP=pkg makes .ci/setup skip clippy, rustfmt, wasm-pack, Chromium, PyJWT and
# tests/'s npm project (tests/demo-path.mjs, in demo-check, proves it). pkg/ is rebuilt only
# when its sources are newer than pkg/package.json (which every `make pkg` writes, so `make
# test`'s build counts), www/node_modules only when the lock file changed: a second start takes
# seconds.
# `demo-check` (in `make test`) checks that chain (tests/demo-path.mjs) and the page's pure
# parts (tests/demo/), then starts the same project, exercises it, stops.
DEMO_PKG_INPUTS := $(shell find src -type f) Cargo.toml Cargo.lock pkg.json
pkg/package.json: $(DEMO_PKG_INPUTS)
	$(MAKE) pkg JWT_WASM_SETUP=$(or $(JWT_WASM_SETUP),pkg)

demo: www-deps
	node www/dev.mjs

# `make test` runs it after the full setup; alone, it needs Chromium too (check-page.mjs).
demo-check: www-deps
	node tests/demo-path.mjs
	node --test tests/demo/
	node www/check.mjs

www-deps: pkg/package.json
	@cd www && if [ ! -f node_modules/.lock-stamp ] || ! cmp -s package-lock.json node_modules/.lock-stamp; then \
	  echo "www: npm ci (wrangler, esbuild)" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.lock-stamp; fi
	rm -rf www/node_modules/jwt-wasm && cp -R pkg www/node_modules/jwt-wasm

clean:
	rm -rf pkg pkg-trap target .ci/tools/node_modules tests/node_modules tests/install/node_modules tests/.venv
