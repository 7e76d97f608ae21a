// Shared by the key-set tests: the modules of src/js/keys from the repository (JWT_WASM_REPO,
// set by tests/js/run.sh; pure JavaScript, no wasm), and fakes for fetch, the Cache API, KV and
// timers, with time always injected.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const repo = process.env.JWT_WASM_REPO
assert.ok(repo, 'JWT_WASM_REPO is not set: run the JS tests with `bash tests/js/run.sh`')

/** A module of src/js/keys. @param {string} file */
export const keysModule = (file) => import(pathToFileURL(join(repo, 'src', 'js', 'keys', file)).href)
